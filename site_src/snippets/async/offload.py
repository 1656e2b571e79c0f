"""Calling blocking code from `async def`: hand it to a worker thread and await the result.

Sometimes an async endpoint has to call something that blocks: a library with no async API,
a sync database driver, a CPU-heavy function. Called directly, it stops the event loop
(blocking.py). Starlette's run_in_threadpool(), which is anyio.to_thread.run_sync() under
another name, runs it in a worker thread and gives the coroutine something to await: the loop
serves other requests until the thread is done. Both share anyio's limiter of 40 threads
(threadpool.py). Here 8 clients call each of three versions of the same endpoint.

Run it:  python offload.py
Try:     make legacy_lookup CPU-bound (a busy loop): the threads take turns on the GIL, so
         the loop stays responsive but the 8 calls no longer overlap.
"""

from __future__ import annotations

import importlib
import time

import anyio.to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse
from starlette.routing import Route

# `async` is a keyword, so the sibling module is imported by its name as a string.
blocking = importlib.import_module("snippets.async.blocking")
CLIENTS, WAIT = blocking.CLIENTS, blocking.WAIT


# --8<-- [start:app]
def legacy_lookup(key: str) -> dict:
    """A sync library call: it blocks its thread for WAIT seconds."""
    started = time.perf_counter()
    time.sleep(WAIT)
    blocking.spans.append((started, time.perf_counter(), None))  # who ran when, for the report
    return {"key": key, "value": 42}


async def direct(request):
    return JSONResponse(legacy_lookup("a"))  # blocks the loop


async def threadpool(request):
    return JSONResponse(await run_in_threadpool(legacy_lookup, "a"))  # Starlette's helper


async def to_thread(request):
    return JSONResponse(await anyio.to_thread.run_sync(legacy_lookup, "a"))  # anyio's own


app = Starlette(routes=[Route("/direct", direct), Route("/threadpool", threadpool),
                        Route("/to-thread", to_thread)])
# --8<-- [end:app]


if __name__ == "__main__":
    for path in ["/direct", "/threadpool", "/to-thread"]:
        _, spans = blocking.measure(path, app)
        # Counted, not timed: how many calls overlapped does not change with the machine's load.
        print(f"GET {path}: {len(spans)} requests, {blocking.together(spans)}")
