"""Step 5: people chat from the page at / in a real browser (Debian's Chromium, headless,
driven by Playwright), where the Origin header is the browser's own and cannot be forged."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

from playwright.sync_api import Error as PlaywrightError

import pytest

from chat_checks import expect, join
from onthewire.labs.kit import why
from onthewire.serving import Running

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WAIT_MS = 5_000


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"])
        yield b
        b.close()


def _enter(browser, server: Running, user: str, errors: list[str]):
    page = browser.new_page()
    page.on("pageerror", lambda e: errors.append(f"{user}'s page: {e}"))
    page.goto(server.url + "/")
    page.fill("#user", user)
    page.click("#join button")
    try:
        page.wait_for_selector("#text:enabled", timeout=WAIT_MS)
    except PlaywrightError:
        status = page.text_content("#status")
        page.close()
        raise AssertionError(f"{user}'s page at / could not join the lobby: it says {status!r}{why(server)}") from None
    return page


def _wait_for_line(page, text: str, who: str, server: Running) -> None:
    try:
        page.wait_for_function("t => [...document.querySelectorAll('#log li')].some(li => li.textContent === t)",
                               arg=text, timeout=WAIT_MS)
    except PlaywrightError:
        lines = page.eval_on_selector_all("#log li", "items => items.map(i => i.textContent)")
        raise AssertionError(f"{who}'s page never showed {text!r}; it shows {lines}{why(server)}") from None


def test_two_pages_chat(server: Running, browser) -> None:
    """lets two browser pages loaded from / chat with each other, and with a script

    Look at: origin_allowed() and allowed_origins(): the page's Origin is http://127.0.0.1:PORT
    """
    errors: list[str] = []
    ada = _enter(browser, server, "ada", errors)
    bob = _enter(browser, server, "bob", errors)
    try:
        # cy, a script, joins first: join() fails at once on a server that sends no join
        # notices, where the pages would only show nothing.
        with join(server, "cy") as cy:
            _wait_for_line(ada, "bob joined", "ada", server)
            bob.fill("#text", "hello from bob's browser")
            bob.click("#send")
            expect(cy, {"user": "bob", "text": "hello from bob's browser"}, "bob's message, at a script", server)
            for page, who in [(ada, "ada"), (bob, "bob")]:
                _wait_for_line(page, "bob: hello from bob's browser", who, server)
        _wait_for_line(ada, "cy left", "ada", server)
        bob.close()
        _wait_for_line(ada, "bob left", "ada", server)
        assert not errors, errors
    finally:
        ada.close()
        if not bob.is_closed():
            bob.close()
