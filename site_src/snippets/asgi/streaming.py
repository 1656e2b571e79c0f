"""A streamed response: one http.response.start, then body messages with more_body=True.

The app has three lines to send, and each takes a while to produce. It sends each as soon
as it has it, in an http.response.body message with more_body=True, and ends the response
with a last message whose more_body is False (ASGI HTTP spec, "Response Body - send event").
The app set no Content-Length, so uvicorn frames the body itself: chunked, in HTTP/1.1. The
client reads each line as it comes, long before the response is over.

Run it:  python streaming.py
Try:     add a content-length header to the start message (the length of the three lines
         together): same messages, but no chunked framing on the wire.
"""

from __future__ import annotations

import asyncio
import sys
import time
from typing import TextIO

import httpx

from onthewire.serving import serving_asgi
from onthewire.trace import traced

PAUSE = 0.3  # seconds to produce each line


# --8<-- [start:app]
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain")]})  # no content-length
    for n in range(1, 4):
        await send({"type": "http.response.body", "body": f"line {n}\n".encode(),
                    "more_body": True})  # more is coming
        await asyncio.sleep(PAUSE)  # a slow source: what comes next is not ready yet
    await send({"type": "http.response.body", "body": b"", "more_body": False})  # the end
# --8<-- [end:app]


def _timed(app, sent_at: list[float]):
    """Middleware for the demo only: note when each body message is sent."""
    async def wrapper(scope, receive, send):
        async def timed_send(message):
            await send(message)
            if message["type"] == "http.response.body":
                sent_at.append(time.monotonic())
        await app(scope, receive, timed_send)
    return wrapper


# --8<-- [start:client]
def stream(out: TextIO = sys.stdout) -> tuple[httpx.Headers, list[tuple[str, float]], list[float]]:
    """GET the streamed response, writing each line to `out` as it arrives (between the
    trace's lines); return the headers, each line with when it arrived, and when the app
    sent each body message."""
    sent_at: list[float] = []
    arrived = []
    with serving_asgi(_timed(traced(app, out, stable=True, brief=True), sent_at), lifespan="off") as url:
        with httpx.stream("GET", url) as response:
            for line in response.iter_lines():  # each line as soon as it arrives
                arrived.append((line, time.monotonic()))
                print(f"{'client':<8} {'read':<7} {line!r}", file=out, flush=True)
    return response.headers, arrived, sent_at
# --8<-- [end:client]


if __name__ == "__main__":
    headers, arrived, sent_at = stream()
    print(f"the client got transfer-encoding: {headers.get('transfer-encoding')}, "
          f"content-length: {headers.get('content-length')}")
