"""Starlette runs a `def` endpoint in a worker thread, and only 40 of them at once.

A plain `def` endpoint cannot await, so Starlette does not call it on the event loop: it
hands the call to anyio.to_thread.run_sync(), which runs it in a worker thread. Blocking
there is fine, the loop goes on. But anyio lets only as many calls run at once as its default
limiter has tokens: 40. Here 60 clients call a `def` endpoint that blocks for 0.3 s: the first
40 run together, the other 20 wait for a token, and the whole takes two rounds ("waves").
Raised to 60 tokens in the app's lifespan, the same requests finish in one.

Run it:  python threadpool.py
Try:     set TOKENS to 10 (six waves); make the endpoint `async def` with time.sleep (one
         request at a time, see blocking.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import math
import threading
import time

import anyio.to_thread
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from onthewire.serving import serving_asgi

# `async` is a Python keyword: `from snippets.async.blocking import at_once` would not even
# parse, so the sibling module is imported by its name as a string.
at_once = importlib.import_module("snippets.async.blocking").at_once

CLIENTS = 60
WAIT = 0.3  # seconds the endpoint blocks
TOKENS = 60  # the raised limit
spans: list[tuple[float, float]] = []  # (start, end) of each call of the endpoint
running = 0
most_at_once = 0
lock = threading.Lock()


# --8<-- [start:endpoint]
def report(request):  # def, not async def: Starlette runs it in a worker thread
    global running, most_at_once
    started = time.perf_counter()
    with lock:
        running += 1
        most_at_once = max(most_at_once, running)
    time.sleep(WAIT)  # a blocking call: it holds this worker thread, not the loop
    with lock:
        running -= 1
        spans.append((started, time.perf_counter()))
    return PlainTextResponse("done\n")
# --8<-- [end:endpoint]


# --8<-- [start:apps]
default_app = Starlette(routes=[Route("/report", report)])


@contextlib.asynccontextmanager
async def more_threads(app):
    # The limiter belongs to the running event loop: set it once the loop runs, at startup.
    anyio.to_thread.current_default_thread_limiter().total_tokens = TOKENS
    yield


raised_app = Starlette(routes=[Route("/report", report)], lifespan=more_threads)
# --8<-- [end:apps]


def waves(spans: list[tuple[float, float]]) -> int:
    """Count the rounds: a call that starts once a call of the current round has ended had to
    wait for a thread to come free, and opens the next round."""
    count, first_end = 0, -math.inf
    for start, end in sorted(spans):
        if start >= first_end:
            count, first_end = count + 1, end
        else:
            first_end = min(first_end, end)
    return count


def measure(app) -> tuple[float, int, int]:
    """CLIENTS requests at once; return (seconds until all answered, waves, most at once)."""
    global most_at_once
    spans.clear()
    most_at_once = 0
    with serving_asgi(app) as url:
        elapsed = asyncio.run(at_once(url + "/report", CLIENTS))
    return elapsed, waves(spans), most_at_once


if __name__ == "__main__":
    print(f"{CLIENTS} requests at once to a def endpoint that blocks for {WAIT} s:")
    for label, app in [("default limiter", default_app), (f"{TOKENS} tokens", raised_app)]:
        elapsed, n, most = measure(app)
        # Times and waves vary with the machine's load; how many ran at once does not.
        rest = f"the other {CLIENTS - most} waited for a free thread" if most < CLIENTS else "none waited"
        print(f"  {label}: at most {most} at once, {rest}")
