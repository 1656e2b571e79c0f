"""End to end, on real sockets: your Connection as a client of uvicorn, and as the server that
`wire start websocket-frames` runs (serve.py), for the websockets library's client.

The opening handshake is HTTP and not this lab's subject: here the checks do it for the
client, and serve.py does it for the server. Everything after it goes through your code.
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import time
from collections.abc import Callable
from types import ModuleType

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import deadline, fail, why
from onthewire.serving import serving_asgi
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket
from websockets.exceptions import ConnectionClosed
from websockets.protocol import Protocol, Side
from websockets.sync.client import connect
from ws_checks import TEXT, raw_frame

TIMEOUT = 5.0
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    while True:
        message = await websocket.receive()
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            await websocket.send_text(message["text"])
        else:
            await websocket.send_bytes(message["bytes"])


app = Starlette(routes=[WebSocketRoute("/echo", echo)])


def open_websocket(port: int, path: str) -> tuple[socket.socket, bytes]:
    """Connect and do the opening handshake (RFC 6455 section 4.1); return the socket and any
    bytes that came after the 101 response's head."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
    key = base64.b64encode(os.urandom(16))
    sock.sendall(b"GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 b"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path.encode(), port, key))
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            sock.close()
            fail(f"the server closed the connection during the handshake; it sent {data[:80]!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
    if not head.startswith(b"HTTP/1.1 101") or accept not in head:
        sock.close()
        fail(f"the handshake failed: {head[:120]!r}")
    return sock, rest


def talk(sock: socket.socket, conn: object, pending: bytes, done: Callable[[list[object]], bool]) -> list[object]:
    """Feed what arrives to conn, send what it queues, until done(events) or the peer hangs up."""
    with deadline(TIMEOUT, "Connection.receive()"):
        events: list[object] = conn.receive(pending) if pending else []  # type: ignore[attr-defined]
    sock.sendall(conn.data_to_send())  # type: ignore[attr-defined]
    end = time.monotonic() + TIMEOUT
    while not done(events):
        sock.settimeout(max(0.01, end - time.monotonic()))
        try:
            data = sock.recv(65536)
        except TimeoutError:
            fail(f"waited {TIMEOUT:g} s; got only {_names(events)}")
        if not data:
            break
        with deadline(TIMEOUT, "Connection.receive()"):
            events += conn.receive(data)  # type: ignore[attr-defined]
        sock.sendall(conn.data_to_send())  # type: ignore[attr-defined]
    return events


def _names(events: list[object]) -> str:
    # A Close says why the peer gave up: show it whole.
    return ", ".join(repr(e) if type(e).__name__ == "Close" else type(e).__name__ for e in events) or "no events"


def test_client_against_uvicorn(frames: ModuleType) -> None:
    """talks to a Starlette echo endpoint under uvicorn as a client: messages, a ping, the closing handshake

    Look at: Connection("client"): masks, receive(), data_to_send(); uvicorn runs with each of its WebSocket implementations
    """
    for ws in ["websockets-sansio", "wsproto"]:
        with serving_asgi(app, ws=ws, lifespan="off") as url:
            port = int(url.rsplit(":", 1)[1])
            sock, pending = open_websocket(port, "/echo")
            with sock:
                try:
                    _echo_through_uvicorn(frames, sock, pending, ws)
                except OSError as error:
                    fail(f"uvicorn (ws={ws}) dropped the connection ({error}): it refused what your client sent")


def _echo_through_uvicorn(frames: ModuleType, sock: socket.socket, pending: bytes, ws: str) -> None:
    """Messages, a ping and the closing handshake through your client Connection."""
    conn = frames.Connection("client")
    conn.send_text("héllo, wörld")
    conn.send_binary(bytes(range(256)) * 300)
    conn.send_ping(b"marco")
    events = talk(sock, conn, pending, lambda evs: len(evs) >= 3)
    want = [frames.Message("héllo, wörld"), frames.Message(bytes(range(256)) * 300), frames.Pong(b"marco")]
    for event in want:
        assert event in events, f"uvicorn (ws={ws}): want {type(event).__name__} back, got {_names(events)}"
    conn.send_close(1000, "bye")
    events = talk(sock, conn, b"", lambda evs: any(isinstance(e, frames.Close) for e in evs))
    closes = [e for e in events if isinstance(e, frames.Close)]
    assert closes and closes[0].code == 1000, \
        f"uvicorn (ws={ws}) should answer a Close (1000) with a Close (1000); got {_names(events)}"


def test_server_for_websockets_client(frames: ModuleType, serve: ServeFactory) -> None:
    """echoes messages, answers a ping and closes cleanly for the websockets client, in serve.py as `wire start` runs it

    Look at: Connection("server") as serve.py uses it: receive(), send_text(), send_binary(), data_to_send()
    """
    with serve() as server:
        try:
            with connect(f"ws://127.0.0.1:{server.port}/", proxy=None, open_timeout=TIMEOUT,
                         close_timeout=TIMEOUT) as ws:
                ws.send("héllo")
                got = ws.recv(timeout=TIMEOUT)
                assert got == "héllo", f"sent the text 'héllo', got back {got!r:.80}"
                ws.send(bytes(70000))
                got = ws.recv(timeout=TIMEOUT)
                assert got == bytes(70000), f"sent 70000 zero bytes, got back {type(got).__name__} of {len(got)}"
                assert ws.ping(b"polo").wait(TIMEOUT), "sent a Ping, no Pong came back"
            assert ws.protocol.close_rcvd is not None and ws.protocol.close_rcvd.code == 1000, \
                f"the client closed with 1000; the server answered {ws.protocol.close_rcvd}"
        except (ConnectionClosed, TimeoutError, OSError) as error:
            fail(f"the websockets client: {type(error).__name__}: {error}{why(server)}")


def test_server_fails_bad_client(frames: ModuleType, serve: ServeFactory) -> None:
    """answers a client's unmasked frame with a Close frame carrying 1002, in serve.py

    Look at: FrameDecoder (the MASK bit), and Connection.send_close() as serve.py calls it on a ProtocolError
    """
    with serve() as server:
        sock, pending = open_websocket(server.port, "/")
        with sock:
            sock.sendall(raw_frame(TEXT, b"unmasked", mask=None))
            reply = pending
            try:
                while chunk := sock.recv(4096):
                    reply += chunk
            except TimeoutError:
                fail(f"after an unmasked frame the server neither answered nor closed within {TIMEOUT:g} s{why(server)}")
        peer = Protocol(Side.CLIENT)
        peer.receive_data(reply)
        code = peer.close_rcvd.code if peer.close_rcvd else None
        assert code == 1002, f"want a Close with 1002 before the server hangs up; got {reply[:40]!r}{why(server)}"
