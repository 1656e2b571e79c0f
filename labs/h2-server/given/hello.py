"""hello:app, what `wire start h2-server` serves when you name no app: raw ASGI 3, no framework.

    curl --http2-prior-knowledge 'http://127.0.0.1:8080/?name=Ada'          a greeting
    curl --http2-prior-knowledge http://127.0.0.1:8080/big -o big.bin       1 MiB, past every window
    curl --http2-prior-knowledge -T big.bin http://127.0.0.1:8080/echo -o - the body sent back as it arrives
    h2load -n 1000 -c 2 -m 100 http://127.0.0.1:8080/                       1000 requests, 100 streams at once
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

BIG = 1024 * 1024  # bytes in /big: sixteen times the initial flow-control window


async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        # Main spec: "Applications should actively reject any protocol that they do not understand".
        raise ValueError(f"hello:app does not speak {scope['type']!r}")
    path = scope["path"]
    if path == "/big":
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/octet-stream"),
                                (b"content-length", str(BIG).encode())]})
        await send({"type": "http.response.body", "body": b"x" * BIG})
        return

    if path == "/echo" and scope["method"] in ("POST", "PUT"):
        # Each piece of the request body goes straight back out, as it arrives.
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
    body = (f"Hello, {name}! You asked for {path} with {scope['method']} "
            f"over HTTP/{scope['http_version']}.\n").encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
