"""guarded: a foreign Origin gets 403, missing credentials 401, and the right cookie or token
a WebSocket; and the spurious error uvicorn logs after a denial response. (What a real browser
sends with the handshake, cookies and Origin, is test_guarded_browser's part.)"""

from __future__ import annotations

from websockets.sync.client import connect

from onthewire.serving import free_port, python, running, serving_asgi
from snippets.websockets import guarded

EXPECTED = {
    "the chat's own page": "101, then 'hello ada'",
    "a page on another subdomain": "403",
    "a page on another site, SameSite=None": "403",
    "the chat's own page, logged out": "401 'log in first'",
    "a script with a token in the URL": "101, then 'hello ada'",
    "a script with a wrong token": "401 'log in first'",
}


def test_attempts() -> None:
    with serving_asgi(guarded.app, log_level="critical") as url:
        assert {a.who: guarded.attempt(url, a) for a in guarded.ATTEMPTS} == EXPECTED


def test_pages_elsewhere_bring_the_cookie_and_only_origin_tells_them_apart() -> None:
    # The page's claim: the refused pages sent the very cookie that lets the chat's page in.
    own, *others = [a for a in guarded.ATTEMPTS if a.cookie]
    assert own.origin in guarded.ALLOWED_ORIGINS
    assert others and all(a.cookie == own.cookie and a.origin not in guarded.ALLOWED_ORIGINS for a in others)


def test_origin_is_compared_exactly() -> None:
    with serving_asgi(guarded.app, log_level="critical") as url:
        for origin in ("https://chat.example.com.evil.example", "http://chat.example.com", "https://chat.example.com:8443"):
            assert guarded.attempt(url, guarded.Attempt("", origin, cookie=guarded.LOGGED_IN)) == "403"


def test_uvicorn_logs_an_error_after_a_denial_response() -> None:
    # The snippet hides uvicorn's log for this line; when uvicorn stops logging it, drop that.
    port = free_port()
    command = [python(), "-m", "uvicorn", "snippets.websockets.guarded:app", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, port=port) as server:
        logged_out = guarded.Attempt("logged out", "https://chat.example.com")
        assert guarded.attempt(server.url, logged_out) == "401 'log in first'"
        with connect(server.url.replace("http://", "ws://") + "/chat?token=c00kie-of-ada") as websocket:
            websocket.recv(timeout=5)  # a later connection: the earlier one has been logged
    assert "ASGI callable returned without completing handshake" in server.output()
