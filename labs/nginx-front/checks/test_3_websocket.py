"""Step 3: WebSockets through nginx, and HTTP/1.1 from nginx to uvicorn."""

from __future__ import annotations

from front_checks import CLIENT, get, websocket_echo
from onthewire.labs.kit import fail


def test_upstream_speaks_http11(front) -> None:
    """the client speaks HTTP/2 to nginx, and the app's scope says http_version "1.1": nginx to uvicorn is HTTP/1.1

    Look at: proxy_http_version in nginx.conf (nginx speaks HTTP/1.0 upstream by default) (TODO step 3).
    """
    spoken, answer = get(front, http2=True)
    if spoken != "HTTP/2" or answer.get("http_version") != "1.1":
        fail(f"the client spoke {spoken} to nginx, and the app's scope said http_version {answer.get('http_version')!r}, not '1.1'")


def test_websocket_echo_through_nginx(front, record_property) -> None:
    """a WebSocket client on wss:// gets through nginx: the app sees scheme "wss" and the client's address, and echoes

    Look at: the map for Connection, proxy_http_version 1.1, and the Upgrade and Connection headers in nginx.conf (TODO step 3).
    """
    hello, echoed = websocket_echo(front, "ping over wss")
    record_property("measured", f"the app's first message: {hello}; echoed {echoed!r}")
    if hello.get("scheme") != "wss":
        fail(f"the WebSocket came over wss; the app saw scheme {hello.get('scheme')!r} "
             "(is X-Forwarded-Proto set for it too, and believed by uvicorn?)")
    if hello.get("client") != CLIENT:
        fail(f"the WebSocket client connected from {CLIENT}; the app saw {hello.get('client')!r}")
    if echoed != "ping over wss":
        fail(f"sent 'ping over wss', got back {echoed!r}")
