"""guarded, in a real browser: which of the user's cookies Chromium sends with a WebSocket
handshake opened by a page on the chat's own origin, on another origin of the same site, and
on another site; the Origin it sends; and guarded's check refusing the other pages.

Two origins on one machine stand in for the cases of the security page: http://127.0.0.1:A
and http://127.0.0.1:B are the same site (the site of an IP address is the address; ports do
not count), http://localhost:B is another site. The cookie rules are RFC 6265bis's SameSite
("Strict" and "Lax" cookies go only with same-site requests, apart from Lax's top-level
navigations, which a WebSocket handshake is not) and Chromium's default for a cookie without
SameSite, which is Lax.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from onthewire.serving import serving_asgi
from snippets.websockets import guarded

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
EVERY_COOKIE = ["none", "session", "strict", "unmarked"]
SEEN: list[tuple[str | None, list[str]]] = []  # (Origin, cookie names) of each handshake


async def log_in(request) -> HTMLResponse:
    response = HTMLResponse("logged in")
    response.set_cookie("session", "c00kie-of-ada", samesite="lax")  # the session, as most apps set it
    response.set_cookie("strict", "1", samesite="strict")
    response.headers.append("set-cookie", "unmarked=1; Path=/")  # no SameSite: Chromium treats it as Lax
    response.set_cookie("none", "1", samesite="none", secure=True)
    response.set_cookie("insecure_none", "1", samesite="none")  # None without Secure: never stored
    return response


async def recorded_chat(websocket: WebSocket) -> None:
    SEEN.append((websocket.headers.get("origin"), sorted(websocket.cookies)))
    await guarded.chat(websocket)


def _page(target: str) -> HTMLResponse:
    # The page reports in its title: the first message, or the close code of a refused socket.
    return HTMLResponse(f"""<!doctype html><title></title><script>
      const socket = new WebSocket({json.dumps(target)});
      socket.onmessage = e => {{ document.title = "message " + e.data; }};
      socket.onclose = e => {{ if (!document.title) document.title = "closed " + e.code; }};
    </script>""")


@contextmanager
def _servers(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """(the chat's URL, another origin's URL on the same host), both serving the page at /page."""
    holder: dict[str, str] = {}

    async def page(request) -> HTMLResponse:
        return _page(holder["chat"].replace("http://", "ws://") + "/chat")

    chat = Starlette(routes=[Route("/login", log_in), Route("/page", page), WebSocketRoute("/chat", recorded_chat)])
    other = Starlette(routes=[Route("/page", page)])
    with serving_asgi(chat, log_level="critical") as chat_url, serving_asgi(other) as other_url:
        holder["chat"] = chat_url
        monkeypatch.setattr(guarded, "ALLOWED_ORIGINS", {chat_url})  # the chat's own page only
        yield chat_url, other_url


def _open_from(context, page_url: str) -> tuple[str, tuple[str | None, list[str]]]:
    """Load a page that opens a WebSocket to the chat: (what the page saw, what the chat saw)."""
    SEEN.clear()
    page = context.new_page()
    try:
        page.goto(page_url)
        page.wait_for_function("document.title.length > 0")
        seen_by_page = page.title()
    finally:
        page.close()
    assert len(SEEN) == 1, SEEN
    return seen_by_page, SEEN[0]


def _visits(context, chat_url: str, other_url: str) -> dict[str, tuple[str, tuple[str | None, list[str]]]]:
    login = context.new_page()
    login.goto(chat_url + "/login")  # a top-level visit: every cookie but insecure_none is stored
    login.close()
    assert sorted(c["name"] for c in context.cookies()) == EVERY_COOKIE
    cross_site = other_url.replace("127.0.0.1", "localhost")
    return {
        "own page": _open_from(context, chat_url + "/page"),
        "same site": _open_from(context, other_url + "/page"),
        "cross site": _open_from(context, cross_site + "/page"),
    }


@pytest.fixture
def playwright() -> Iterator[object]:
    # Per test: every test must leave no process behind, Playwright's driver included.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def _with_browser(playwright, tmp_path: Path, third_party_cookies: bool):
    """A browser context: a persistent profile when third-party cookies are to be allowed."""
    if third_party_cookies:
        # A profile whose settings allow third-party cookies: Chromium's pref
        # profile.cookie_controls_mode, 0 = kOff (components/content_settings cookie_settings.h).
        (tmp_path / "Default").mkdir()
        (tmp_path / "Default" / "Preferences").write_text(json.dumps({"profile": {"cookie_controls_mode": 0}}))
        return playwright.chromium.launch_persistent_context(str(tmp_path), executable_path=CHROMIUM, args=ARGS)
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    return browser.new_context()  # Playwright's default: an off-the-record profile


def test_which_cookies_a_handshake_carries(playwright, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with _servers(monkeypatch) as (chat_url, other_url):
        context = _with_browser(playwright, tmp_path, third_party_cookies=True)
        try:
            visits = _visits(context, chat_url, other_url)
        finally:
            context.close()
    cross_origin = other_url.replace("127.0.0.1", "localhost")
    # The chat's own page: every cookie, and guarded lets it in.
    assert visits["own page"] == ("message hello ada", (chat_url, EVERY_COOKIE))
    # Another origin of the same site: every cookie too, Strict included; only the Origin differs,
    # and guarded's check refuses it (a refused handshake is close code 1006 to the page).
    assert visits["same site"] == ("closed 1006", (other_url, EVERY_COOKIE))
    # Another site: the SameSite=None cookie alone. Lax, Strict and the unmarked one stay behind.
    assert visits["cross site"] == ("closed 1006", (cross_origin, ["none"]))


def test_blocking_third_party_cookies_withholds_none_too(playwright, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with _servers(monkeypatch) as (chat_url, other_url):
        context = _with_browser(playwright, tmp_path, third_party_cookies=False)
        try:
            visits = _visits(context, chat_url, other_url)
        finally:
            context.browser.close()
    assert visits["same site"][1][1] == EVERY_COOKIE  # same-site cookies are not third-party ones
    assert visits["cross site"][1][1] == []
