"""A chat room: every message a client sends goes to every client connected. Served by
`uvicorn --workers 2` it has two copies of the room, one per process, and where the room
keeps its members decides whether that works.

    CHAT_BROKER=memory           each process keeps a set of its own sockets (the bug)
    CHAT_BROKER=redis://HOST:P   each process publishes to Redis and forwards what Redis
                                 publishes to its own sockets (the fix)

On connecting, each client gets one JSON message naming the process that serves it, so that
a test can see how the connections were spread.

Run it:  CHAT_BROKER=memory uvicorn broadcast_app:app --workers 2
         (then connect two clients until they land on different workers, and chat)
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator

import redis.asyncio
from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect


# --8<-- [start:memory]
class MemoryRoom:
    """The members this process holds. Another process has a room of its own."""

    def __init__(self) -> None:
        self.members: set[WebSocket] = set()

    async def publish(self, text: str) -> None:
        await self.deliver(text)

    async def deliver(self, text: str) -> None:
        for websocket in list(self.members):
            with contextlib.suppress(WebSocketDisconnect, RuntimeError):  # gone meanwhile
                await websocket.send_text(text)
# --8<-- [end:memory]


# --8<-- [start:redis]
class RedisRoom(MemoryRoom):
    """Publishes through Redis; every process delivers what Redis sends it to its own members."""

    CHANNEL = "chat"

    def __init__(self, url: str) -> None:
        super().__init__()
        self.redis = redis.asyncio.from_url(url)
        self.pubsub = self.redis.pubsub()

    async def start(self) -> None:
        await self.pubsub.subscribe(self.CHANNEL)
        await self.pubsub.get_message(timeout=5)     # Redis confirms the subscription
        self.listener = asyncio.create_task(self.listen())

    async def listen(self) -> None:
        async for message in self.pubsub.listen():
            if message["type"] == "message":
                await self.deliver(message["data"].decode())

    async def publish(self, text: str) -> None:
        await self.redis.publish(self.CHANNEL, text)  # to every subscribed process

    async def stop(self) -> None:
        self.listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.listener
        await self.pubsub.aclose()
        await self.redis.aclose()
# --8<-- [end:redis]


# --8<-- [start:endpoint]
async def chat(websocket: WebSocket) -> None:
    room: MemoryRoom = websocket.app.state.room
    await websocket.accept()
    await websocket.send_json({"worker": os.getpid()})
    room.members.add(websocket)
    try:
        async for text in websocket.iter_text():
            await room.publish(text)
    finally:
        room.members.discard(websocket)
# --8<-- [end:endpoint]


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    broker = os.environ.get("CHAT_BROKER", "memory")
    if broker == "memory":
        app.state.room = MemoryRoom()
        yield
        return
    room = app.state.room = RedisRoom(broker)
    await room.start()
    try:
        yield
    finally:
        await room.stop()


app = Starlette(routes=[WebSocketRoute("/chat", chat)], lifespan=lifespan)
