"""The raw ASGI apps the checks serve, as h2_apps:app. Each path is one behaviour:

    /echo     the request body, sent back piece by piece as it arrives
    /upload   reads the whole body, answers "<bytes> <sha256>"
    /slow     answers after 0.3 s
    /together?group=G&n=N   waits until N requests of group G are in the app at once (up to
              5 s), then answers "together N", or "alone: K of N" if only K ever were
    /headers  201, with a mixed-case header name and connection-specific fields to drop
    /hold     answers its headers, waits for the check's marker "go", then reads the whole body
              and answers its length
    /big      1 MiB of a known pattern (far past the 65,535-byte initial window)
    /stream   one chunk, then waits in receive(): writes the message it got to the marker "stream"
    /fail     raises before it responds
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

from onthewire.labs.apps import markers

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

SLOW = 0.3  # seconds /slow takes
BIG = 1024 * 1024
TOGETHER_WAIT = 5.0  # seconds /together waits for the rest of its group
_arrived: dict[str, int] = {}  # /together: requests of each group that reached the app


def big_body() -> bytes:
    """The body of /big: a pattern in which a lost or repeated frame shows."""
    return b"".join(b"%08d\n" % i for i in range(BIG // 9 + 1))[:BIG]


async def _respond(send: Send, body: bytes, status: int = 200) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def app(scope: dict[str, Any], receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        raise ValueError(f"h2_apps:app does not speak {scope['type']!r}")
    path = scope["path"]
    if path == "/echo":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            more = message.get("more_body", False)
            await send({"type": "http.response.body", "body": message.get("body", b""), "more_body": more})
    elif path == "/upload":
        digest, size, more = hashlib.sha256(), 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            digest.update(message.get("body", b""))
            size += len(message.get("body", b""))
            more = message.get("more_body", False)
        await _respond(send, f"{size} {digest.hexdigest()}".encode())
    elif path == "/slow":
        await asyncio.sleep(SLOW)
        await _respond(send, b"slow\n")
    elif path == "/together":
        query = dict(part.split("=", 1) for part in scope["query_string"].decode().split("&") if "=" in part)
        group, wanted = query.get("group", ""), int(query.get("n", "1"))
        _arrived[group] = _arrived.get(group, 0) + 1
        deadline = asyncio.get_running_loop().time() + TOGETHER_WAIT
        while _arrived[group] < wanted and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)  # a poll interval
        seen = _arrived[group]
        await _respond(send, (f"together {wanted}\n" if seen >= wanted else f"alone: {seen} of {wanted}\n").encode())
    elif path == "/headers":
        # Django sends names as written ("Content-Type"); a WSGI app behind an adapter may send
        # Connection and Keep-Alive. HTTP/2 wants neither (RFC 9113 §8.2.1, §8.2.2).
        await send({"type": "http.response.start", "status": 201,
                    "headers": [(b"Content-Type", b"text/plain"), (b"X-Served-By", b"h2_apps"),
                                (b"connection", b"keep-alive"), (b"keep-alive", b"timeout=5")]})
        await send({"type": "http.response.body", "body": b"created\n"})
    elif path == "/hold":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        if not await markers.wait_for("go"):
            return
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            size += len(message.get("body", b""))
            more = message.get("more_body", False)
        await send({"type": "http.response.body", "body": f"{size}".encode()})
    elif path == "/big":
        await _respond(send, big_body())
    elif path == "/stream":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"first\n", "more_body": True})
        while True:
            message = await receive()
            if message["type"] != "http.request":
                markers.write("stream", message["type"])
                return
    elif path == "/fail":
        raise RuntimeError("the /fail app fails on purpose")
    else:
        await _respond(send, f"{scope['method']} {path} HTTP/{scope['http_version']}\n".encode())
