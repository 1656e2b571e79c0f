"""A Starlette app with a lifespan that keeps state, path parameters, JSON and a streamed response."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Route


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[dict[str, str]]:
    yield {"greeting": "Hello"}  # Starlette copies this into each request's scope["state"]


async def hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"{request.state.greeting}, {request.path_params['name']}, from Starlette!")


async def echo(request: Request) -> JSONResponse:
    return JSONResponse({"json": await request.json(), "query": dict(request.query_params),
                         "url": str(request.url), "client": request.client.host if request.client else None})


async def stream(request: Request) -> StreamingResponse:
    async def lines() -> AsyncIterator[bytes]:
        for i in range(3):
            yield f"line {i}\n".encode()

    return StreamingResponse(lines(), media_type="text/plain")


routes = [Route("/hello/{name}", hello), Route("/echo", echo, methods=["POST"]), Route("/stream", stream)]
app = Starlette(routes=routes, lifespan=lifespan)
