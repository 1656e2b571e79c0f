"""The app every example of this module talks to: a small Starlette app whose routes make the
server frame its responses in each of the ways HTTP/1.1 has.

    /          a short text: the server knows its length, so it sends Content-Length
    /headers   the request's header fields as the app received them, one per line
    /echo      what the request carried: method, target and body
    /stream    three pieces yielded one by one: the length is unknown when the head goes out,
               so an HTTP/1.1 server sends it chunked
    /slow      answers after 0.3 s, to show what waits behind a slow response

Serve it yourself from the course folder, then talk to it with curl or with a raw socket:

    .venv/bin/uvicorn snippets.http.demo_app:app --port 8001
    curl -v http://127.0.0.1:8001/stream --raw

Try: add a route that returns a body of 300 bytes through a StreamingResponse and guess
the chunk-size line before you look.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

PIECES = [b"first chunk of data\n", b"second, a little longer chunk\n", b"end\n"]
SLOW_SECONDS = 0.3


async def hello(request: Request) -> Response:
    return PlainTextResponse("hello\n")


async def headers(request: Request) -> Response:
    # scope["headers"] holds the fields as the server handed them over (ASGI lowercases names);
    # each value is printed quoted, so that spaces at either end show
    lines = [f"{name.decode('latin-1')}: {value.decode('latin-1')!r}" for name, value in request.scope["headers"]]
    return PlainTextResponse("\n".join(lines) + "\n")


async def echo(request: Request) -> Response:
    body = await request.body()
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return PlainTextResponse(f"{request.method} {target} got {len(body)} bytes: {body!r}\n")


# --8<-- [start:stream]
async def stream(request: Request) -> Response:
    async def pieces() -> AsyncIterator[bytes]:
        for piece in PIECES:
            yield piece  # each yield becomes one chunk on the wire

    return StreamingResponse(pieces(), media_type="text/plain")
# --8<-- [end:stream]


async def slow(request: Request) -> Response:
    await asyncio.sleep(SLOW_SECONDS)
    return PlainTextResponse("slow\n")


app = Starlette(
    routes=[
        Route("/", hello),
        Route("/headers", headers),
        Route("/echo", echo, methods=["GET", "POST"]),
        Route("/stream", stream),
        Route("/slow", slow),
    ]
)
