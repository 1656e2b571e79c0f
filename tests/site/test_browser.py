"""The built site in a real browser (Debian's Chromium, driven by Playwright's Python package):
pages load with no console error and no request to another host, diagrams render, and search
finds the WSGI module."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from onthewire import course, paths
from onthewire.serving import serving_directory

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        yield b
        b.close()


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    with serving_directory(built_site) as url:
        yield url


def visit(browser, url: str) -> tuple[object, list[str], list[str]]:
    page = browser.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_request(request) -> None:
        if not request.url.startswith((url.split("/", 3)[0] + "//" + url.split("/", 3)[2], "data:", "blob:")):
            foreign.append(request.url)

    page.on("request", on_request)
    page.goto(url, wait_until="networkidle")
    return page, errors, foreign


def first_notebook_page() -> str:
    nb = sorted(paths.NOTEBOOKS.rglob("*.ipynb"))[0].relative_to(paths.NOTEBOOKS)
    return f"{nb.parts[0]}/notebooks/{nb.stem}/"


@pytest.mark.parametrize("where", ["", "notebook", "lab"])
def test_pages_load_cleanly_and_locally(browser, site_url: str, where: str) -> None:
    path = {"": "", "notebook": first_notebook_page(), "lab": f"labs/{course.labs()[0].id}/"}[where]
    page, errors, foreign = visit(browser, f"{site_url}/{path}")
    try:
        assert page.locator("h1").first.is_visible()
        assert not errors, errors
        assert not foreign, f"requests to other hosts: {foreign}"
    finally:
        page.close()


def test_mermaid_diagrams_render(browser, site_url: str) -> None:
    page, errors, _ = visit(browser, f"{site_url}/")
    try:
        # Material draws each diagram into a closed shadow root on a div that replaces the
        # <pre class="mermaid"> source block: the div appears only once Mermaid has run.
        page.locator("div.mermaid").first.wait_for(timeout=10_000)
        assert page.locator("pre.mermaid").count() == 0
        assert page.locator("div.mermaid").first.bounding_box()["height"] > 30
        assert not errors, errors
    finally:
        page.close()


def test_search_finds_the_wsgi_module(browser, site_url: str) -> None:
    page, _, _ = visit(browser, f"{site_url}/")
    try:
        box = page.locator("input.md-search__input")
        box.click()
        box.press_sequentially("PEP 3333", delay=20)
        page.wait_for_function(
            "() => { const m = document.querySelector('.md-search-result__meta');"
            " return m && !/Initializing|Type to start/.test(m.textContent); }",
            timeout=15_000,
        )
        links = page.locator(".md-search-result__link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert any("wsgi/" in href for href in links), links
    finally:
        page.close()
