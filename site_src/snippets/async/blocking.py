"""A blocking call inside `async def` stops the whole event loop, not just its request.

uvicorn runs every request of a process on one event loop, in one thread. An `async def`
handler that calls time.sleep() (or anything else that waits without `await`) keeps that
thread busy: no other request can run until it returns. The same handler awaiting
asyncio.sleep() hands the loop back while it waits, and the loop runs the other requests.
Here 8 clients ask at the same moment for each handler: the same 0.2 s wait and the same
eight clients as the WSGI servers page, where one thread served them one by one.

Run it:  python blocking.py
Try:     set CLIENTS = 32 below the imports; in `awaiting`, add a time.sleep(0.05) before
         the await: the blocked part still adds up, request after request.
"""

from __future__ import annotations

import asyncio
import math
import time

import httpx
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from onthewire.serving import serving_asgi
# The WSGI page's eight clients and 0.2 s wait, and its picture of who ran when.
from snippets.wsgi.one_worker import CLIENTS, VIEW_SECONDS as WAIT, timeline

spans: list[tuple[float, float, None]] = []  # (start, end, -) of each handler run


# --8<-- [start:app]
async def blocking(request):
    started = time.perf_counter()
    time.sleep(WAIT)  # no await: the event loop's only thread is stuck here
    spans.append((started, time.perf_counter(), None))
    return PlainTextResponse("done\n")


async def awaiting(request):
    started = time.perf_counter()
    await asyncio.sleep(WAIT)  # await: the loop runs other requests meanwhile
    spans.append((started, time.perf_counter(), None))
    return PlainTextResponse("done\n")


app = Starlette(routes=[Route("/blocking", blocking), Route("/awaiting", awaiting)])
# --8<-- [end:app]


# --8<-- [start:measure]
async def at_once(url: str, clients: int = CLIENTS) -> float:
    """Send `clients` GETs at the same moment; return the seconds until all are answered."""
    limits = httpx.Limits(max_connections=clients)  # one connection per client
    async with httpx.AsyncClient(timeout=10, limits=limits) as client:
        started = time.perf_counter()
        for response in await asyncio.gather(*(client.get(url) for _ in range(clients))):
            response.raise_for_status()
        return time.perf_counter() - started


def measure(path: str, app=app) -> tuple[float, list[tuple[float, float, None]]]:
    """Serve `app` with uvicorn; return (seconds for CLIENTS requests to `path`, handler spans)."""
    spans.clear()
    with serving_asgi(app) as url:
        elapsed = asyncio.run(at_once(url + path))
    return elapsed, sorted(spans)
# --8<-- [end:measure]


def report(label: str, elapsed: float, got: list[tuple[float, float, None]]) -> None:
    # Rounded down to whole waits: the same output on every run.
    waits = math.floor(elapsed / WAIT)
    print(f"{label}: {CLIENTS} requests of {WAIT} s took about {waits * WAIT:.1f} s ({waits} x {WAIT} s)")
    print("\n".join(timeline(got)))


if __name__ == "__main__":
    report("time.sleep in async def", *measure("/blocking"))
    report("await asyncio.sleep", *measure("/awaiting"))
