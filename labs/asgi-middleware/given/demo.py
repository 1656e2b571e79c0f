"""demo:app, what `wire start asgi-middleware` serves: a Starlette app with your ServerTiming in
its middleware list. You don't need to change this file.

    curl -i http://127.0.0.1:8080/            a greeting, after about 50 ms of "work"
    curl -i http://127.0.0.1:8080/cached      the view sends a Server-Timing of its own
    curl -iN http://127.0.0.1:8080/count      streamed: the head at once, then a line every 0.5 s
    curl -i http://127.0.0.1:8080/boom        the view raises: a 500, and a traceback in the server's output
    python -m websockets ws://127.0.0.1:8080/echo     a WebSocket echo: type a line, get it back

The greeting comes from the lifespan's state, so it reaches the view only through a middleware
that lets the lifespan pass.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from timing import ServerTiming


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[dict[str, str]]:
    yield {"greeting": "Hello from the demo"}  # Starlette copies this into each request's state


async def hello(request: Request) -> PlainTextResponse:
    await asyncio.sleep(0.05)  # stands in for a database query
    return PlainTextResponse(f"{request.state.greeting}!\n")


async def cached(request: Request) -> PlainTextResponse:
    # A metric the view measured itself: a cache lookup of 0.3 ms that found the answer.
    return PlainTextResponse("From the cache.\n", headers={"server-timing": 'cache;desc="hit";dur=0.3'})


async def count(request: Request) -> StreamingResponse:
    async def lines() -> AsyncIterator[str]:
        for i in range(1, 4):
            yield f"{i}\n"
            await asyncio.sleep(0.5)

    return StreamingResponse(lines(), media_type="text/plain")


async def boom(request: Request) -> PlainTextResponse:
    raise RuntimeError("boom: the demo's view failed")


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        async for text in websocket.iter_text():
            await websocket.send_text(text)
    except WebSocketDisconnect:
        pass  # the client left while its echo was on the way


routes = [Route("/", hello), Route("/cached", cached), Route("/count", count), Route("/boom", boom),
          WebSocketRoute("/echo", echo)]
# Starlette builds the middleware as ServerTiming(app): any pure ASGI middleware fits here.
app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(ServerTiming)])
