"""A chat server with rooms, served by two uvicorn worker processes (see serve.py).

WebSocket /ws/{room}?user=NAME. A client sends {"text": "..."}; every client in the room,
the sender too, receives {"user": "NAME", "text": "..."}. Every client in the room also
hears who comes and goes:

    {"event": "join", "user": "NAME", "worker": PID}   PID: the worker that holds NAME's connection
    {"event": "leave", "user": "NAME"}

Each worker process keeps the sockets it holds in its own `Rooms`. Messages go through Redis
pub/sub (REDIS_URL, which serve.py sets): a worker publishes what its clients send to the
room's channel, and one subscriber task per worker hands whatever Redis sends on to the
worker's own sockets in that room. README.md says what to change in this file, and why.
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
    # PUBLISH reaches every worker subscribed to the channel, this one included; each
    # worker's subscriber then delivers it to its own sockets, so each client gets it once.
    client: redis.asyncio.Redis = websocket.state.redis
    await client.publish(CHANNEL + room, json.dumps(message))


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
    async for message in pubsub.listen():
        if message["type"] == "pmessage":
            room = message["channel"].decode().removeprefix(CHANNEL)
            await rooms.deliver(room, message["data"].decode())


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[dict]:
    # Once per worker process: one connection to publish on, one subscription for every room
    # (a pattern), and one task that reads it. Not one per client: a worker with 1000
    # clients still holds two connections to Redis.
    # A pool that makes a publisher wait for a free connection: redis-py's default pool
    # raises MaxConnectionsError once 100 publishes are on their way at the same time.
    client = redis.asyncio.Redis.from_pool(redis.asyncio.BlockingConnectionPool.from_url(REDIS_URL))
    pubsub = client.pubsub()
    await pubsub.psubscribe(CHANNEL + "*")
    await pubsub.get_message(timeout=5)  # Redis confirms: from now on, nothing published is missed
    rooms = Rooms()
    subscriber = asyncio.create_task(forward(pubsub, rooms))
    try:
        yield {"rooms": rooms, "redis": client}  # each connection gets them in websocket.state
    finally:
        # At shutdown, after the connections have closed: stop the subscriber, then close
        # both connections to Redis.
        subscriber.cancel()
        with contextlib.suppress(asyncio.CancelledError, redis.exceptions.ConnectionError):
            await subscriber
        await pubsub.aclose()
        await client.aclose()


app = Starlette(routes=[WebSocketRoute("/ws/{room}", chat)], lifespan=lifespan)
