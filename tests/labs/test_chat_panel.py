"""The live panel on the chat lab's page (site_src/assets/live-chat.js), in the built site, in
Debian's Chromium: with the lab's solution running as `wire start chat` runs it, the panel
connects, shows the messages each way and sends the reader's; with nothing running, it says how
to start the lab, and connects by itself once the lab is started."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.sync.client import ClientConnection, connect

from onthewire import course
from onthewire.labs import workspace
from onthewire.labs.runner import command_for, env_for
from onthewire.serving import Running, free_port, running, serving_directory

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LAB = course.lab("chat")
WAIT_MS = 10_000


@pytest.fixture
def browser(no_leftovers: None) -> Iterator[object]:
    """A Chromium of the test's own, closed before `no_leftovers` looks for processes."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    with serving_directory(built_site) as url:
        yield url


@contextlib.contextmanager
def _chat_lab(port: int, site_url: str) -> Iterator[Running]:
    """The solution (with the lab's given files), run with the lab's own command; the test's
    site origin is allowed as the course site's is (`make serve` serves on port 8000, this test
    on a free port)."""
    with workspace.assembled(LAB, LAB.solution) as code:
        env = {**env_for(code), "CHAT_ORIGINS": site_url}
        with running(command_for(LAB, port=port), port=port, cwd=code, env=env) as server:
            yield server


def _panel_page(browser, site_url: str, port: int):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site_url}/labs/chat/?chat-port={port}")
    return page, errors


def _wait_for_row(page, kind: str, data: dict) -> None:
    text = json.dumps(data)
    page.wait_for_function(
        "([kind, text]) => [...document.querySelectorAll('.live-chat__' + kind + ' .live-chat__json')]"
        ".some(cell => JSON.stringify(JSON.parse(cell.textContent)) === JSON.stringify(JSON.parse(text)))",
        arg=[kind, text], timeout=WAIT_MS)


def _receive_until(ws: ClientConnection, wanted: dict) -> None:
    seen = []
    while (got := json.loads(ws.recv(timeout=WAIT_MS / 1000))) != wanted:
        seen.append(got)
        assert len(seen) < 10, f"never got {wanted}: {seen}"


def test_the_page_has_the_panel_on_the_labs_default_port(built_site: Path) -> None:
    html = (built_site / "labs" / "chat" / "index.html").read_text()
    assert re.search(rf'<div class="live-chat" data-port="{LAB.default_port}"', html)
    assert "assets/live-chat.js" in html


def test_panel_chats_with_the_running_lab(browser, site_url: str) -> None:
    port = free_port()
    with _chat_lab(port, site_url) as server:
        page, errors = _panel_page(browser, site_url, port)
        try:
            page.locator('.live-chat__status[data-state="open"]').wait_for(timeout=WAIT_MS)
            _wait_for_row(page, "received", {"event": "join", "user": "reader"})
            with connect(f"ws://127.0.0.1:{server.port}/ws/lobby?user=script", open_timeout=5) as ws:
                _wait_for_row(page, "received", {"event": "join", "user": "script"})
                page.fill(".live-chat__text", "hello from the page")
                page.click(".live-chat__send")
                _wait_for_row(page, "sent", {"text": "hello from the page"})
                _receive_until(ws, {"user": "reader", "text": "hello from the page"})
                _wait_for_row(page, "received", {"user": "reader", "text": "hello from the page"})
                ws.send(json.dumps({"text": "hello from a script"}))
                _wait_for_row(page, "received", {"user": "script", "text": "hello from a script"})
            _wait_for_row(page, "received", {"event": "leave", "user": "script"})
            times = page.locator(".live-chat__received .live-chat__time").all_text_contents()
            assert all(re.fullmatch(r"\d\d:\d\d:\d\d\.\d{3}", t) for t in times), times
            assert not errors, errors
        finally:
            page.close()


def test_panel_says_how_to_start_the_lab_and_connects_once_it_runs(browser, site_url: str) -> None:
    port = free_port()  # nothing listens on it yet
    page, errors = _panel_page(browser, site_url, port)
    try:
        page.locator('.live-chat__status[data-state="down"]').wait_for(timeout=WAIT_MS)
        help_text = page.locator(".live-chat__help").text_content()
        assert f"wire start chat --port {port}" in help_text, help_text
        assert page.locator(".live-chat__send").is_disabled()
        with _chat_lab(port, site_url):
            # The panel tries again by itself (after 1 s, 2 s, 4 s ...): no click needed.
            page.locator('.live-chat__status[data-state="open"]').wait_for(timeout=WAIT_MS)
            assert page.locator(".live-chat__help").is_hidden()
        page.locator('.live-chat__status[data-state="down"]').wait_for(timeout=WAIT_MS)
        assert not errors, errors
    finally:
        page.close()
