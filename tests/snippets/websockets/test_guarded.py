"""guarded: a foreign Origin gets 403, missing credentials 401, and the right cookie or token
a WebSocket; and the spurious error uvicorn logs after a denial response."""

from __future__ import annotations

from websockets.sync.client import connect

from onthewire.serving import free_port, python, running, serving_asgi
from snippets.websockets import guarded

EXPECTED = {
    "the chat's own page, logged in": "101, then 'hello ada'",
    "another site's page, same browser": "403",
    "the chat's own page, logged out": "401 'log in first'",
    "a script with a token in the URL": "101, then 'hello ada'",
    "a script with a wrong token": "401 'log in first'",
}


def test_attempts() -> None:
    with serving_asgi(guarded.app, log_level="critical") as url:
        assert {a.who: guarded.attempt(url, a) for a in guarded.ATTEMPTS} == EXPECTED


def test_origin_is_compared_exactly() -> None:
    with serving_asgi(guarded.app, log_level="critical") as url:
        for origin in ("https://chat.example.evil.example", "http://chat.example", "https://chat.example:8443"):
            assert guarded.attempt(url, guarded.Attempt("", origin, cookie="session=c00kie-of-ada")) == "403"


def test_uvicorn_logs_an_error_after_a_denial_response() -> None:
    # The snippet hides uvicorn's log for this line; when uvicorn stops logging it, drop that.
    port = free_port()
    command = [python(), "-m", "uvicorn", "snippets.websockets.guarded:app", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, port=port) as server:
        logged_out = guarded.Attempt("logged out", "https://chat.example")
        assert guarded.attempt(server.url, logged_out) == "401 'log in first'"
        with connect(server.url.replace("http://", "ws://") + "/chat?token=c00kie-of-ada") as websocket:
            websocket.recv(timeout=5)  # a later connection: the earlier one has been logged
    assert "ASGI callable returned without completing handshake" in server.output()
