"""What the chat checks share: clients that join a room with the `websockets` library, a raw
socket for what no library sends, and waits with a deadline (the kit's TIMEOUT), so that a
failing check fails in seconds and says what came instead.

A check never waits for silence: to show that something did *not* arrive, it has someone send
a message afterwards and looks at what comes first.
"""

from __future__ import annotations

import json
import os
import socket
from urllib.parse import quote

from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.sync.client import ClientConnection, connect

from onthewire.labs.kit import TIMEOUT, shown, why
from onthewire.serving import Running
from snippets.http import rawhttp
from snippets.websockets import wsframes


def url(server: Running, room: str = "lobby", user: str | None = "ada") -> str:
    query = "" if user is None else f"?user={quote(user)}"
    return f"ws://{server.host}:{server.port}/ws/{room}{query}"


def join(server: Running, user: str | None = "ada", room: str = "lobby", origin: str | None = None,
         own_join: bool = True) -> ClientConnection:
    """A client in `room`, past its own join notice (when `own_join`)."""
    try:
        ws = connect(url(server, room, user), origin=origin, open_timeout=TIMEOUT, close_timeout=TIMEOUT,
                     max_size=2**20, legacy=True)  # a connection, not a context manager
    except InvalidStatus as e:
        raise AssertionError(f"{user!r} could not join {room!r}: the handshake got HTTP "
                             f"{e.response.status_code}{why(server)}") from None
    except (WebSocketException, OSError, TimeoutError) as e:
        raise AssertionError(f"{user!r} could not join {room!r} ({type(e).__name__}: {e}){why(server)}") from None
    if own_join:
        expect(ws, {"event": "join", "user": user}, f"the notice that {user} joined {room}, sent to {user} too", server)
    return ws


def status_of(server: Running, user: str | None = "eve", origin: str | None = None, room: str = "lobby") -> int:
    """The HTTP status a handshake gets: 101 when the app accepts it."""
    try:
        with connect(url(server, room, user), origin=origin, open_timeout=TIMEOUT, close_timeout=TIMEOUT):
            return 101
    except InvalidStatus as e:
        return e.response.status_code
    except (WebSocketException, OSError, TimeoutError) as e:
        raise AssertionError(f"the handshake failed ({type(e).__name__}: {e}){why(server)}") from None


def say(ws: ClientConnection, text: str) -> None:
    ws.send(json.dumps({"text": text}))


def receive(ws: ClientConnection, what: str, server: Running) -> dict:
    """The next message, as JSON; an AssertionError naming `what` was awaited."""
    try:
        raw = ws.recv(timeout=TIMEOUT)
    except TimeoutError:
        raise AssertionError(f"waiting for {what}: nothing came within {TIMEOUT:g} s{why(server)}") from None
    except ConnectionClosed as e:
        raise AssertionError(f"waiting for {what}: the server closed the connection ({closed(e)}){why(server)}") from None
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        raise AssertionError(f"waiting for {what}: got {shown(raw)}, which is not JSON text") from None


def expect(ws: ClientConnection, wanted: dict, what: str, server: Running) -> None:
    got = receive(ws, what, server)
    assert got == wanted, f"waiting for {what}: want {json.dumps(wanted)}, got {shown(got)}"


def expect_said(ws: ClientConnection, wanted: dict, what: str, server: Running) -> None:
    """Like expect(), reading past join and leave notices (step 1 does not rely on step 2)."""
    got = receive(ws, what, server)
    while got.get("event") in ("join", "leave") and set(got) == {"event", "user"}:
        got = receive(ws, what, server)
    assert got == wanted, f"waiting for {what}: want {json.dumps(wanted)}, got {shown(got)}"


def close_code(ws: ClientConnection, what: str, server: Running) -> int | None:
    """The code of the Close frame the server sends next, reading past any message before it."""
    try:
        while True:
            ws.recv(timeout=TIMEOUT)
    except TimeoutError:
        raise AssertionError(f"after {what}, the connection stayed open for {TIMEOUT:g} s{why(server)}") from None
    except ConnectionClosed as e:
        return e.rcvd.code if e.rcvd else None


def closed(e: ConnectionClosed) -> str:
    return f"close code {e.rcvd.code}" if e.rcvd else "no Close frame"


# --- A raw socket, for bytes no library sends --------------------------------------------------

def raw_join(server: Running, user: str, room: str = "lobby") -> tuple[socket.socket, rawhttp.Reader]:
    """A WebSocket handshake by hand (snippets/websockets/wsframes.py); the socket after the 101."""
    sock = socket.create_connection((server.host, server.port), timeout=TIMEOUT)
    key = "dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455's example key: any 16 bytes in base64 will do
    sock.sendall(wsframes.handshake_request(f"{server.host}:{server.port}", f"/ws/{room}?user={user}", key))
    reader = rawhttp.Reader(sock)
    _, status, _, _ = rawhttp.read_head(reader)
    assert status == 101, f"a handshake by hand got HTTP {status}, want 101{why(server)}"
    return sock, reader


def masked(opcode: int, payload: bytes) -> bytes:
    """A frame as a client must send it: masked with a fresh key."""
    return wsframes.encode(opcode, payload, mask_key=os.urandom(4))
