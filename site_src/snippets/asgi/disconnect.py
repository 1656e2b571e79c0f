"""A client that leaves mid-stream: http.disconnect, and what send() does afterwards.

An endless response (a ticker, a feed, a log tail) must stop when nobody reads it any more.
ASGI tells the app through receive(): once the body is read, the next receive() waits until
the client goes away and then returns http.disconnect (ASGI HTTP spec, "Disconnect - receive
event"). So `listening` reads the request, then keeps a task awaiting receive() next to its
loop of sends. `deaf` never calls receive(): it learns nothing, and uvicorn (which declares
spec_version 2.3) quietly drops everything it sends. Since spec 2.4 a server may instead
raise an OSError from send() ("Disconnected Client - send exception"): don't count on it.

Run it:  python disconnect.py
Try:     let the client read three ticks before it leaves; make `deaf` send 100 ticks.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import sys
from typing import TextIO

import httpx

from onthewire.serving import serving_asgi
from onthewire.trace import traced

TICK = 1.0  # seconds between ticks: the client leaves long before a second one is due
DEAF_TICKS = 20


# --8<-- [start:listening]
async def listening(scope, receive, send):
    if scope["type"] != "http":
        return
    await receive()  # the request: a GET, so one message with an empty body
    gone = asyncio.Event()

    async def watch():  # the next receive() returns when the client has left
        while (await receive())["type"] != "http.disconnect":
            pass
        gone.set()

    watcher = asyncio.create_task(watch())
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain")]})
    ticks = 0
    while not gone.is_set():
        ticks += 1
        await send({"type": "http.response.body", "body": b"tick %d\n" % ticks, "more_body": True})
        with contextlib.suppress(TimeoutError):  # the next tick, unless the client leaves first
            await asyncio.wait_for(gone.wait(), TICK)
    await watcher
# --8<-- [end:listening]


# --8<-- [start:deaf]
async def deaf(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain")]})
    for ticks in range(1, DEAF_TICKS + 1):  # never asks receive(): cannot know
        await send({"type": "http.response.body", "body": b"tick %d\n" % ticks, "more_body": True})
        await asyncio.sleep(0.01)
    await send({"type": "http.response.body", "body": b"", "more_body": False})
# --8<-- [end:deaf]


# --8<-- [start:client]
def read_one_line_and_leave(app, out: TextIO = sys.stdout) -> str:
    """GET from `app`, read the first line, close the connection; return that line."""
    with serving_asgi(traced(app, out, stable=True, brief=True), lifespan="off") as url:
        with httpx.stream("GET", url) as response:
            lines = response.iter_lines()  # (a generator: dropping it would close the response)
            first = next(lines)
            print(f"{'client':<8} {'read':<7} {first!r}, then closes the connection", file=out, flush=True)
        # leaving the block closes the unfinished response, and so its connection
    return first
# --8<-- [end:client]


def deaf_trace() -> list[str]:
    """The trace of `deaf` with a client that leaves after one line, without the client's
    own line (it can come before or after the next tick). The server has stopped, and waited
    for the app to return, before this returns."""
    trace = io.StringIO()
    read_one_line_and_leave(deaf, trace)
    return [line for line in trace.getvalue().splitlines() if not line.startswith("client")]


if __name__ == "__main__":
    print("An app that listens for http.disconnect:")
    read_one_line_and_leave(listening)
    print()
    print("An app that never calls receive():")
    lines = deaf_trace()
    bodies = [line for line in lines if "http.response.body" in line]
    print("\n".join(lines[:3]))
    print(f"... the client is gone; {len(bodies)} http.response.body messages in all, none refused:")
    print("\n".join(lines[-2:]))
