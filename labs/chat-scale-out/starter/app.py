"""A chat server with rooms, served by two uvicorn worker processes (see serve.py).

WebSocket /ws/{room}?user=NAME. A client sends {"text": "..."}; every client in the room,
the sender too, receives {"user": "NAME", "text": "..."}. Every client in the room also
hears who comes and goes:

    {"event": "join", "user": "NAME", "worker": PID}   PID: the worker that holds NAME's connection
    {"event": "leave", "user": "NAME"}

Each worker process keeps the sockets it holds in its own `Rooms`, and a message goes to the
sockets of the sender's worker only: with two workers, about half the clients miss it.
README.md says what to change in this file (Redis pub/sub, at REDIS_URL), and why.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
from collections import defaultdict
from collections.abc import AsyncIterator

import redis.asyncio
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379")  # serve.py sets it
CHANNEL = "chat:"  # the channel of room ROOM is chat:ROOM


class Rooms:
    """The sockets this worker holds, by room. The other worker has a Rooms of its own."""

    def __init__(self) -> None:
        self.members: dict[str, set[WebSocket]] = defaultdict(set)

    def add(self, room: str, websocket: WebSocket) -> None:
        self.members[room].add(websocket)

    def discard(self, room: str, websocket: WebSocket) -> None:
        self.members[room].discard(websocket)
        if not self.members[room]:
            del self.members[room]

    async def deliver(self, room: str, message: str) -> None:
        """Send `message` to each socket of `room` that this worker holds."""
        for websocket in list(self.members.get(room, ())):
            with contextlib.suppress(Exception):  # a client gone meanwhile: its endpoint cleans up
                await websocket.send_text(message)


async def publish(websocket: WebSocket, room: str, message: dict) -> None:
    """Send `message` to every client in `room`, whichever worker holds it."""
    # TODO: this reaches the clients of this worker only. Every client in the room, on either
    # worker, must get the message once: it goes to the room's channel (CHANNEL + room) on
    # the lifespan's Redis client, and each worker's subscriber delivers it.
    rooms: Rooms = websocket.state.rooms
    await rooms.deliver(room, json.dumps(message))


async def chat(websocket: WebSocket) -> None:
    room = websocket.path_params["room"]
    user = websocket.query_params.get("user", "")
    if not user:
        await websocket.close(code=1008, reason="add ?user=NAME to the URL")  # 1008: policy violation
        return
    rooms: Rooms = websocket.state.rooms
    await websocket.accept()
    rooms.add(room, websocket)  # first, so that this client hears its own join notice
    try:
        await publish(websocket, room, {"event": "join", "user": user, "worker": os.getpid()})
        async for text in websocket.iter_text():
            try:
                sent = json.loads(text)
            except ValueError:
                continue  # not JSON: nothing to pass on
            if isinstance(sent, dict) and isinstance(sent.get("text"), str):
                await publish(websocket, room, {"user": user, "text": sent["text"]})
    finally:
        rooms.discard(room, websocket)
        with contextlib.suppress(redis.exceptions.ConnectionError):  # Redis stopped first (Ctrl-C)
            await publish(websocket, room, {"event": "leave", "user": user})


async def forward(pubsub: redis.asyncio.client.PubSub, rooms: Rooms) -> None:
    """The worker's one subscriber: hand each message Redis sends on to the room's sockets here."""
    # TODO: every message of the subscription reaches this worker's sockets in the room its
    # channel names (after CHANNEL); what else Redis sends on it is not a chat message.


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[dict]:
    rooms = Rooms()
    # TODO: once per worker: a Redis client (REDIS_URL) whose publishers wait when every
    # connection is busy, in the state as "redis"; one subscription for every room's channel,
    # confirmed before the first client comes (pub/sub keeps nothing for later); forward()
    # reading it. At shutdown, nothing of it is left running or open.
    yield {"rooms": rooms}  # each connection gets them in websocket.state


app = Starlette(routes=[WebSocketRoute("/ws/{room}", chat)], lifespan=lifespan)
