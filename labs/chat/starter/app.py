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

As it is, the app answers only the sender, tells nobody who comes and goes, lets any page
and any name in, and takes whatever it is sent. Look for TODO.
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
    # TODO step 3: the app's own page is allowed too, by either local name, on the port this
    # server listens on (ASGI websocket scope: "server"); never from the Host header.
    return SITE_ORIGINS | EXTRA_ORIGINS


def origin_allowed(websocket: WebSocket) -> bool:
    """True when no Origin came (not a browser) or it is exactly one of the allowed origins."""
    # TODO step 3: True for no Origin header, or one equal to an allowed origin as a whole string
    # (browsers send it serialised in lower case, RFC 6454 §6.2); an empty one is not missing.
    return True


def user_name(websocket: WebSocket) -> str | None:
    """The user name from ?user=NAME, if it is 1 to 32 characters long, else None."""
    # TODO step 3: None unless the name is 1 to MAX_USER_LENGTH characters (not UTF-8 bytes).
    return websocket.query_params.get("user", "someone")


def parse(text: str) -> str | None:
    """The "text" of a message like {"text": "hello"}, or None if the message is not one."""
    # TODO step 4: None, never an exception, for anything but a JSON object whose "text" is a
    # non-empty string.
    return json.loads(text)["text"]


async def chat(websocket: WebSocket) -> None:
    user = user_name(websocket)
    # TODO step 3: a foreign Origin or a bad name gets HTTP 403 and never a WebSocket, and the
    # endpoint ends there (ASGI www spec, "Close - send event").
    await websocket.accept()
    room = ROOMS.setdefault(websocket.path_params["room"], Room())
    # TODO step 1: this WebSocket is one of the room's members; step 2: the whole room, the
    # newcomer too, hears that `user` joined.
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                break
            text = message.get("text")
            # TODO step 4: binary data ends this connection with UNSUPPORTED_DATA, a text longer
            # than MAX_MESSAGE_BYTES in UTF-8 with MESSAGE_TOO_BIG (RFC 6455 §7.4.1).
            said = parse(text)
            # TODO step 4: a message parse() can't read earns its sender alone an error event.
            # TODO step 1: everyone in the room gets the message, not only its sender.
            await websocket.send_text(json.dumps({"user": user, "text": said}))
    finally:
        # TODO step 2: however the loop ended, the member is out and the others hear it; a
        # room nobody is in is no longer in ROOMS.
        pass


async def page(request) -> FileResponse:
    return FileResponse(STATIC / "index.html")


app = Starlette(routes=[
    Route("/", page),
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
    WebSocketRoute("/ws/{room}", chat),
])
