"""A chat server: one WebSocket per person, rooms by URL, every message to everyone in the room.

The protocol, all of it JSON text messages:

    connect   ws://HOST:PORT/ws/ROOM?user=NAME        NAME: 1 to 32 characters
    you send  {"text": "hello"}
    all get   {"user": "ada", "text": "hello"}        everyone in ROOM, you too
              {"event": "join", "user": "ada"}        someone came in (you too, when you do)
              {"event": "leave", "user": "ada"}       someone went away
    you get   {"event": "error", "reason": "..."}     your message was not {"text": "..."}

A handshake from a browser page on another site (its Origin is not allowed), or with no
valid user name, is refused before it is accepted: the client gets HTTP 403. A message of
more than MAX_MESSAGE_BYTES closes that client's connection with 1009; a binary one, with 1003.

`/` serves a page (static/) to chat from in a browser.

Run it:  wire start chat      (uvicorn app:app, see lab.toml)
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from starlette.applications import Starlette
from starlette.responses import FileResponse
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

STATIC = Path(__file__).parent / "static"

MAX_USER_LENGTH = 32
MAX_MESSAGE_BYTES = 4096  # uvicorn's --ws-max-size (lab.toml) is higher: this is the app's own limit

# The course site (`make serve`) has a live panel that chats with this app from its own origin.
SITE_ORIGINS = {"http://127.0.0.1:8000", "http://localhost:8000"}
# More origins, separated by spaces, for a page served from somewhere else.
EXTRA_ORIGINS = set(os.environ.get("CHAT_ORIGINS", "").split())

# Close codes (RFC 6455 §7.4.1).
POLICY_VIOLATION = 1008      # before accept(): the client gets HTTP 403
UNSUPPORTED_DATA = 1003
MESSAGE_TOO_BIG = 1009


class Room:
    """The people in one room of this process, and a way to tell them all something."""

    def __init__(self) -> None:
        self.members: set[WebSocket] = set()

    async def broadcast(self, message: dict) -> None:
        text = json.dumps(message)
        for member in list(self.members):
            # A member that went away meanwhile is removed by its own endpoint.
            with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
                await member.send_text(text)


ROOMS: dict[str, Room] = {}


def allowed_origins(websocket: WebSocket) -> set[str]:
    """The app's own origin (the port it serves on, by either local name), and the site's."""
    port = websocket.scope["server"][1]
    own = {f"http://127.0.0.1:{port}", f"http://localhost:{port}"}
    return own | SITE_ORIGINS | EXTRA_ORIGINS


def origin_allowed(websocket: WebSocket) -> bool:
    """True when no Origin came (not a browser) or it is exactly one of the allowed origins."""
    origin = websocket.headers.get("origin")
    return origin is None or origin in allowed_origins(websocket)


def user_name(websocket: WebSocket) -> str | None:
    """The user name from ?user=NAME, if it is 1 to 32 characters long, else None."""
    user = websocket.query_params.get("user", "")
    return user if 1 <= len(user) <= MAX_USER_LENGTH else None


def parse(text: str) -> str | None:
    """The "text" of a message like {"text": "hello"}, or None if the message is not one."""
    try:
        message = json.loads(text)
    except ValueError:
        return None
    if not isinstance(message, dict) or not isinstance(message.get("text"), str) or not message["text"]:
        return None
    return message["text"]


async def chat(websocket: WebSocket) -> None:
    user = user_name(websocket)
    if not origin_allowed(websocket) or user is None:
        await websocket.close(code=POLICY_VIOLATION)  # before accept(): HTTP 403
        return
    await websocket.accept()
    room = ROOMS.setdefault(websocket.path_params["room"], Room())
    room.members.add(websocket)
    try:
        await room.broadcast({"event": "join", "user": user})
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            text = message.get("text")
            if text is None:
                await websocket.close(code=UNSUPPORTED_DATA, reason="send JSON text, not binary")
                break
            if len(text.encode("utf-8")) > MAX_MESSAGE_BYTES:
                await websocket.close(code=MESSAGE_TOO_BIG, reason=f"at most {MAX_MESSAGE_BYTES} bytes")
                break
            said = parse(text)
            if said is None:
                await websocket.send_text(json.dumps({"event": "error", "reason": 'send {"text": "..."}'}))
                continue
            await room.broadcast({"user": user, "text": said})
    finally:
        room.members.discard(websocket)
        await room.broadcast({"event": "leave", "user": user})
        if not room.members:
            ROOMS.pop(websocket.path_params["room"], None)


async def page(request) -> FileResponse:
    return FileResponse(STATIC / "index.html")


app = Starlette(routes=[
    Route("/", page),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
    WebSocketRoute("/ws/{room}", chat),
])
