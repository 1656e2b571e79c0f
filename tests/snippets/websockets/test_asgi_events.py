"""asgi_events: the events of an accepted WebSocket, in order, and a close before accept
turned into HTTP 403 by uvicorn."""

from __future__ import annotations

import io

from onthewire.serving import serving_asgi
from onthewire.trace import traced
from snippets.http import rawhttp
from snippets.websockets import asgi_events, wsframes


def test_accepted_conversation_and_its_events() -> None:
    trace = io.StringIO()
    with serving_asgi(traced(asgi_events.app, trace, stable=True, brief=True), lifespan="off") as url:
        assert asgi_events.talk(url) == (101, b"HI", 1000)
    order = [word for line in trace.getvalue().splitlines() for word in line.split() if word.startswith("websocket.")]
    assert order == ["websocket.connect", "websocket.accept", "websocket.receive", "websocket.send", "websocket.disconnect"]


def test_close_before_accept_is_a_403() -> None:
    with serving_asgi(asgi_events.app, lifespan="off") as url:
        response = asgi_events.refused(url)
    assert response.status == 403
    assert response.header("upgrade") is None and response.header("sec-websocket-accept") is None


def test_the_page_output(snippet_output) -> None:
    out = snippet_output("asgi_events.py")
    assert "client: handshake 101, sent 'hi', got b'HI', closed with 1000" in out
    assert "< HTTP/1.1 403 Forbidden\\r\\n" in out


def test_a_bad_handshake_never_reaches_the_app() -> None:
    trace = io.StringIO()
    with serving_asgi(traced(asgi_events.app, trace, stable=True), lifespan="off") as url:
        with rawhttp.connect(url) as sock:
            request = wsframes.handshake_request("chat.test", "/shout", asgi_events.KEY)
            sock.sendall(request.replace(b"Sec-WebSocket-Version: 13", b"Sec-WebSocket-Version: 8"))
            response = rawhttp.read_response(rawhttp.Reader(sock))
    assert response.status == 400
    assert trace.getvalue() == ""
