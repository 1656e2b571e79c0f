"""A real Starlette app, served over HTTP/2 by the checks: a JSON route and a streamed one."""

from __future__ import annotations

from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


async def hello(request: Request) -> Response:
    return JSONResponse({"hello": request.query_params.get("name", "world"),
                         "http_version": request.scope["http_version"], "url": str(request.url)})


async def count(request: Request) -> Response:
    async def lines() -> AsyncIterator[bytes]:
        for i in range(1, 4):
            yield f"{i}\n".encode()

    return StreamingResponse(lines(), media_type="text/plain")


async def upload(request: Request) -> Response:
    body = await request.body()
    return JSONResponse({"received": len(body)})


app = Starlette(routes=[Route("/", hello), Route("/count", count), Route("/upload", upload, methods=["POST"])])
