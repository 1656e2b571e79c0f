"""What the chat checks share: clients that join a room with the `websockets` library, a raw
socket for what no library sends, and waits with a deadline (the kit's TIMEOUT), so that a
failing check fails in seconds and says what came instead.

A check never waits for silence: to show that something did *not* arrive, it has someone send
a message afterwards and looks at what comes first. So does `join()`: a newcomer says PROBE
at once, and the server, which tells the room of a join before it reads the newcomer's first
message, must send the join notice first; a server that sends none fails at once instead of
after a timeout. Every reader passes over PROBE where others say it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
from urllib.parse import quote

from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException
from websockets.sync.client import ClientConnection, connect

from onthewire.labs.kit import TIMEOUT, async_until, shown, why
from onthewire.serving import Running
from snippets.http import rawhttp
from snippets.websockets import wsframes


# What join() has each newcomer say, read past by every reader (receive()).
PROBE = "(a check: am I in the room?)"


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
        what = f"the notice that {user} joined {room}, sent to {user} too"
        say(ws, PROBE)
        got = receive(ws, what, server, probes=True)
        if got == {"user": user, "text": PROBE}:
            ws.close()
            raise AssertionError(f"waiting for {what}: {user}'s own first message came back before it: "
                                 f"the room was told before {user} was in it, or not at all")
        if got != {"event": "join", "user": user}:
            ws.close()
            raise AssertionError(f"waiting for {what}: want {json.dumps({'event': 'join', 'user': user})}, got {shown(got)}")
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


def receive(ws: ClientConnection, what: str, server: Running, probes: bool = False) -> dict:
    """The next message, as JSON, past join()'s PROBEs (unless `probes`); an AssertionError
    naming `what` was awaited."""
    while True:
        try:
            raw = ws.recv(timeout=TIMEOUT)
        except TimeoutError:
            raise AssertionError(f"waiting for {what}: nothing came within {TIMEOUT:g} s{why(server)}") from None
        except ConnectionClosed as e:
            raise AssertionError(f"waiting for {what}: the server closed the connection ({closed(e)}){why(server)}") from None
        try:
            got = json.loads(raw)
        except (TypeError, ValueError):
            raise AssertionError(f"waiting for {what}: got {shown(raw)}, which is not JSON text") from None
        if probes or not (isinstance(got, dict) and got.get("text") == PROBE and set(got) == {"user", "text"}):
            return got


def expect(ws: ClientConnection, wanted: dict, what: str, server: Running) -> None:
    got = receive(ws, what, server)
    assert got == wanted, f"waiting for {what}: want {json.dumps(wanted)}, got {shown(got)}"


def expect_said(ws: ClientConnection, wanted: dict, what: str, server: Running) -> None:
    """Like expect(), reading past join and leave notices (step 1 does not rely on step 2)."""
    got = receive(ws, what, server)
    while got.get("event") in ("join", "leave") and set(got) == {"event", "user"}:
        got = receive(ws, what, server)
    assert got == wanted, f"waiting for {what}: want {json.dumps(wanted)}, got {shown(got)}"


def close_code(ws: ClientConnection, what: str, server: Running, then: str | None = None) -> int | None:
    """The code of the Close frame the server sends next, reading past any message before it.

    `then`: a text the client says right after `what`. A server that closes for `what` never
    reads it; one whose echo of it comes back has gone on past `what`, and the check fails at
    once instead of waiting for a Close that is not coming."""
    if then is not None:
        with contextlib.suppress(ConnectionClosed):  # the Close may be here already
            say(ws, then)
    try:
        while True:
            raw = ws.recv(timeout=TIMEOUT)
            if then is not None and isinstance(raw, str) and then in raw:
                raise AssertionError(f"after {what}, the connection stayed open: the next message came back")
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


# --- In the checks' own process, for what only the app's memory shows ------------------------

class Visitor:
    """One WebSocket session driven straight through the app's ASGI callable (the ASGI spec's
    websocket scope and events, no server), so that a check can look at the module's ROOMS
    once the endpoint has returned: `await visitor.enter()`, `await visitor.leave()`."""

    def __init__(self, app: object, room: str, user: str, port: int = 8001) -> None:
        self.app, self.room, self.user = app, room, user
        self.scope = {
            "type": "websocket", "asgi": {"version": "3.0"}, "http_version": "1.1", "scheme": "ws",
            "server": ("127.0.0.1", port), "client": ("127.0.0.1", 50000), "root_path": "",
            "path": f"/ws/{room}", "raw_path": f"/ws/{room}".encode(), "query_string": f"user={quote(user)}".encode(),
            "headers": [(b"host", f"127.0.0.1:{port}".encode())], "subprotocols": [],
        }
        self.inbox: asyncio.Queue[dict] = asyncio.Queue()
        self.sent: list[dict] = []  # what the app sent, in order
        self._task: asyncio.Task | None = None
        self._waits = 0  # calls to receive()

    async def _receive(self) -> dict:
        self._waits += 1
        return await self.inbox.get()

    async def _send(self, message: dict) -> None:
        self.sent.append(message)

    async def enter(self) -> None:
        """Connect; return once chat() waits for this client's first message, with all it does
        on a join done (its first receive() takes the connect, its second waits for a message)."""
        self._task = asyncio.create_task(self.app(self.scope, self._receive, self._send))  # type: ignore[operator]
        await self.inbox.put({"type": "websocket.connect"})
        if not await async_until(lambda: self._waits >= 2 or self._task.done()):
            raise AssertionError(f"{self.user} entered {self.room!r}, and chat() was not waiting for a message "
                                 f"{TIMEOUT:g} s later: what does it wait for after a join?")
        if self._task.done():
            self._task.result()  # the app's own exception, if any
            raise AssertionError(f"chat() returned as soon as {self.user} entered {self.room!r}: "
                                 f"it sent {[m.get('type') for m in self.sent]}")

    async def leave(self) -> None:
        """The client goes (a Close frame, code 1000); return once chat() has returned."""
        assert self._task is not None
        await self.inbox.put({"type": "websocket.disconnect", "code": 1000})
        try:
            await asyncio.wait_for(asyncio.shield(self._task), TIMEOUT)
        except TimeoutError:
            self._task.cancel()
            raise AssertionError(f"{self.user} left {self.room!r}, and chat() had not returned {TIMEOUT:g} s later: "
                                 "does its finally: block wait for something?") from None

    def heard(self, wanted: dict) -> bool:
        return any(m.get("type") == "websocket.send" and m.get("text") and json.loads(m["text"]) == wanted
                   for m in self.sent)
