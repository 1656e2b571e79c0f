"""A WebSocket as an ASGI app sees it, with no framework in between: the scope, then the
events the app receives and sends, traced as they happen (`onthewire.trace`).

The client is a raw socket with a fixed key, so the traced headers are the same every run.
The second connection asks for a path the app refuses: it sends `websocket.close` before
`websocket.accept`, and the client gets an HTTP 403 instead of a 101.

ASGI's WebSocket specification: https://asgi.readthedocs.io/en/latest/specs/www.html#websocket

Run it:  python asgi_events.py
Try:     send `websocket.send` before `websocket.accept`. What does uvicorn do?
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable

from onthewire.serving import serving_asgi
from onthewire.trace import traced
from snippets.http import rawhttp
from snippets.websockets import wsframes
from snippets.websockets.wsframes import Opcode

KEY = "dGhlIHNhbXBsZSBub25jZQ=="
MASK_KEY = bytes.fromhex("37fa213d")
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


# --8<-- [start:app]
async def app(scope: dict, receive: Receive, send: Send) -> None:
    assert scope["type"] == "websocket"
    message = await receive()                      # always websocket.connect first
    assert message["type"] == "websocket.connect"
    if scope["path"] != "/shout":
        await send({"type": "websocket.close"})    # before accept: the handshake fails
        return
    await send({"type": "websocket.accept"})       # the server sends 101 now
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return                                 # the client closed (or vanished)
        await send({"type": "websocket.send", "text": message["text"].upper()})
# --8<-- [end:app]


def talk(url: str) -> tuple[int, bytes, int | None]:
    """Handshake on /shout, send 'hi', close with 1000: (status, reply, server's close code)."""
    with rawhttp.connect(url) as sock:
        reader = rawhttp.Reader(sock)
        sock.sendall(wsframes.handshake_request("chat.test", "/shout?room=1", KEY))
        status = rawhttp.read_response(reader).status
        sock.sendall(wsframes.encode(Opcode.TEXT, b"hi", mask_key=MASK_KEY))
        reply = wsframes.read_frame(reader).payload
        sock.sendall(wsframes.encode(Opcode.CLOSE, wsframes.close_payload(1000), mask_key=MASK_KEY))
        closed = wsframes.read_frame(reader).close_code
        reader.closed_by_server()
    return status, reply, closed


def refused(url: str) -> rawhttp.Response:
    """The handshake for a path the app does not accept."""
    with rawhttp.connect(url) as sock:
        sock.sendall(wsframes.handshake_request("chat.test", "/elsewhere", KEY))
        return rawhttp.read_response(rawhttp.Reader(sock))


def main() -> None:
    trace = io.StringIO()
    with serving_asgi(traced(app, trace, stable=True), lifespan="off") as url:
        status, reply, closed = talk(url)
    print(f"client: handshake {status}, sent 'hi', got {reply!r}, closed with {closed}")
    print("the app's side:")
    print(trace.getvalue())
    trace = io.StringIO()
    with serving_asgi(traced(app, trace, stable=True, brief=True), lifespan="off") as url:
        response = refused(url)
    print("a path the app refuses, the app's side:")
    print(trace.getvalue())
    print("and the client's:")
    rawhttp.show(response.raw, "< ")


if __name__ == "__main__":
    main()
