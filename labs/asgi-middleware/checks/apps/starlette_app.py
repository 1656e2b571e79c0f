"""A real Starlette app with the ServerTiming under check in its middleware list, as a project
would add it: a lifespan that keeps state, a slow view, views that set headers of their own,
a streamed response, a view that raises, and a WebSocket echo."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from expected import SLOW
from onthewire.labs.apps import markers
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from timing import ServerTiming  # the code under check: its folder comes first on the import path


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[dict[str, str]]:
    markers.append("events", "startup")
    yield {"greeting": "hello from the lifespan"}
    markers.append("events", "shutdown")


async def slow(request: Request) -> PlainTextResponse:
    await asyncio.sleep(SLOW)
    return PlainTextResponse("slow\n")


async def state(request: Request) -> PlainTextResponse:
    return PlainTextResponse(request.state.greeting)


async def headers(request: Request) -> PlainTextResponse:
    response = PlainTextResponse("with headers\n", headers={"x-first": "1"})
    response.headers.append("x-second", "2")
    response.set_cookie("flavour", "plain")
    response.set_cookie("size", "large")  # two Set-Cookie fields: both must arrive
    response.headers.append("x-third", "3")
    return response


async def cached(request: Request) -> PlainTextResponse:
    return PlainTextResponse("from the cache\n", headers={"server-timing": 'cache;desc="hit, warm";dur=0.3'})


async def stream(request: Request) -> StreamingResponse:
    async def pieces() -> AsyncIterator[bytes]:
        yield b"first\n"
        await markers.wait_for("go")  # the check says go once the first piece has reached it
        yield b"second\n"

    return StreamingResponse(pieces(), media_type="text/plain")


async def error(request: Request) -> PlainTextResponse:
    raise RuntimeError("boom in a Starlette view")


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    async for text in websocket.iter_text():
        await websocket.send_text(text)


routes = [Route("/slow", slow), Route("/state", state), Route("/headers", headers), Route("/cached", cached),
          Route("/stream", stream), Route("/error", error), WebSocketRoute("/echo", echo)]
app = Starlette(routes=routes, lifespan=lifespan, middleware=[Middleware(ServerTiming)])
