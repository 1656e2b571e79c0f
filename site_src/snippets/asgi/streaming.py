"""A streamed response: one http.response.start, then body messages with more_body=True.

The app has three lines to send, and each takes a while to produce. It sends each as soon
as it has it, in an http.response.body message with more_body=True, and ends the response
with a last message whose more_body is False (ASGI HTTP spec, "Response Body - send event").
The app set no Content-Length, so uvicorn frames the body itself: chunked, in HTTP/1.1. The
client reads each line as it comes, long before the response is over. To make that a fact
rather than a race, the demo holds each of the app's send() calls until the client has read
the line: a server that kept the body back until the end would leave the app stuck there.

Run it:  python streaming.py
Try:     add a content-length header to the start message (the length of the three lines
         together): same messages, but no chunked framing on the wire.
"""

from __future__ import annotations

import asyncio
import queue
import sys
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


def _lockstep(app, read: queue.Queue[str]):
    """Middleware for the demo only: after each body message with more to come, wait until the
    client has read it. (10 s is not a speed limit: only a body that never streams waits it out.)"""
    async def wrapper(scope, receive, send):
        async def send_then_wait(message):
            await send(message)
            if message["type"] == "http.response.body" and message.get("more_body"):
                await asyncio.to_thread(read.get, timeout=10)
        await app(scope, receive, send_then_wait)
    return wrapper


# --8<-- [start:client]
def stream(out: TextIO = sys.stdout) -> tuple[httpx.Headers, list[str]]:
    """GET the streamed response, writing each line to `out` as it arrives (between the
    trace's lines); return the headers and the lines."""
    read: queue.Queue[str] = queue.Queue()
    lines = []
    with serving_asgi(_lockstep(traced(app, out, stable=True, brief=True), read), lifespan="off") as url:
        with httpx.stream("GET", url) as response:
            for line in response.iter_lines():  # each line as soon as it arrives
                print(f"{'client':<8} {'read':<7} {line!r}", file=out, flush=True)
                lines.append(line)
                read.put(line)  # the app may go on
    return response.headers, lines
# --8<-- [end:client]


if __name__ == "__main__":
    headers, lines = stream()
    print(f"the client got transfer-encoding: {headers.get('transfer-encoding')}, "
          f"content-length: {headers.get('content-length')}")
