"""A raw ASGI 3 app, wrapped directly: `app = ServerTiming(inner)`. Its responses send headers in
the shapes the ASGI spec allows (a list, a tuple, none at all, one list shared by every
response), take a known time before and after http.response.start, and fail before or after
the response has started."""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import parse_qs

from expected import BEFORE_BODY, BEFORE_START
from onthewire.labs.apps import markers

from timing import ServerTiming  # the code under check: its folder comes first on the import path

# One list for every response to /shared, as an app may keep its constant headers. A middleware
# that appends to it makes it grow by one Server-Timing per request.
SHARED_HEADERS = [(b"content-type", b"text/plain"), (b"server-timing", b"db;dur=53"), (b"content-length", b"7")]


async def inner(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        raise ValueError(f"raw_app serves HTTP only, not {scope['type']!r}")

    path = scope["path"]
    query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
    if path == "/sleep":
        if "tag" in query:
            markers.write(f"started-{query['tag']}", "")  # tells the check this request has begun
        await asyncio.sleep(int(query.get("ms", "0")) / 1000)
        await _answer(send, [(b"content-type", b"text/plain"), (b"content-length", b"6")], b"slept\n")
    elif path == "/late-body":
        await asyncio.sleep(BEFORE_START)
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"5")]})
        # The middleware's clock has stopped by now, if it stops at http.response.start: the
        # check compares its dur with this moment (time.perf_counter() is the system's monotonic
        # clock, the same in every process).
        markers.write("late-body.started", repr(time.perf_counter()))
        await asyncio.sleep(BEFORE_BODY)
        await send({"type": "http.response.body", "body": b"late\n"})
    elif path == "/tuple-headers":
        await _answer(send, ((b"content-type", b"text/plain"), (b"x-tuple", b"kept"), (b"content-length", b"6")),
                      b"tuple\n")
    elif path == "/no-headers":
        await send({"type": "http.response.start", "status": 200})  # "headers" is optional
        await send({"type": "http.response.body", "body": b"bare\n"})
    elif path == "/shared":
        await _answer(send, SHARED_HEADERS, b"shared\n")
    elif path == "/boom":
        raise RuntimeError("boom before the response")
    elif path == "/boom-midway":
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"partial\n", "more_body": True})
        raise RuntimeError("boom in the middle of the body")
    else:
        await _answer(send, [(b"content-length", b"10")], b"not found\n", status=404)


async def _answer(send: Any, headers: Any, body: bytes, status: int = 200) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


app = ServerTiming(inner)
