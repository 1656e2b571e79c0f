"""hello:app, what `wire start asgi-server` serves when you name no app: raw ASGI 3, no framework.

    curl -i 'http://127.0.0.1:8080/caf%C3%A9?name=Ada'    a greeting, with a Content-Length
    curl -N http://127.0.0.1:8080/count                   five lines, streamed as they are made
    curl -i -T big.file http://127.0.0.1:8080/echo        the body sent back, piece by piece as it arrives

It also speaks the lifespan protocol: it prints a line when the server starts it up and
another when the server shuts it down.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await lifespan(receive, send)
    elif scope["type"] == "http":
        await http(scope, receive, send)
    else:
        # Main spec: "Applications should actively reject any protocol that they do not understand".
        raise ValueError(f"hello:app does not speak {scope['type']!r}")


async def lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            print("hello:app starting up", file=sys.stderr, flush=True)
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            print("hello:app shutting down", file=sys.stderr, flush=True)
            await send({"type": "lifespan.shutdown.complete"})
            return


async def http(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    path = scope["path"]
    if path == "/count":
        # No Content-Length: the server has to frame the body itself.
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        for i in range(1, 6):
            await send({"type": "http.response.body", "body": f"{i}...\n".encode(), "more_body": True})
            await asyncio.sleep(0.5)  # a slow producer, so that you can watch the lines arrive one by one
        await send({"type": "http.response.body", "body": b"done\n"})
        return

    if path == "/echo" and scope["method"] in ("POST", "PUT"):
        # Each piece of the request body goes straight back out: neither side holds it all.
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/octet-stream")]})
        more_body = True
        while more_body:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            more_body = message.get("more_body", False)
            await send({"type": "http.response.body", "body": message.get("body", b""), "more_body": more_body})
        return

    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    name = query.get("name", ["world"])[0]
    body = f"Hello, {name}! You asked for {path} with {scope['method']}.\n".encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
