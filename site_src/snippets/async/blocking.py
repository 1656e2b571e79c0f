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
import time
from collections.abc import Sequence

import httpx
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from onthewire.serving import serving_asgi
# The WSGI page's eight clients and 0.2 s wait.
from snippets.wsgi.one_worker import CLIENTS, VIEW_SECONDS as WAIT

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


def most_at_once(spans: Sequence[tuple]) -> int:
    """The largest number of runs in progress at the same moment; each span starts with
    (start, end)."""
    # An end sorts before a start at the same instant: the two did not overlap.
    edges = sorted([(span[0], 1) for span in spans] + [(span[1], -1) for span in spans])
    running = most = 0
    for _, change in edges:
        running += change
        most = max(most, running)
    return most


def timeline(spans: list[tuple[float, float, None]]) -> list[str]:
    """One row per handler run, in the order they started: a '.' for each run that had ended
    before this one began (it waited for them), then '#'. Orderings only, so a busy machine,
    which stretches every time, draws the same picture."""
    return [f"  request {n} |{'.' * sum(end <= start for _, end, _ in spans)}#"
            for n, (start, _, _) in enumerate(sorted(spans), start=1)]


def together(spans: list[tuple[float, float, None]]) -> str:
    """How the runs overlapped, in words that only change if the counts do."""
    most = most_at_once(spans)
    return {1: "one at a time", len(spans): f"all {most} at once"}.get(most, f"at most {most} at once")


def report(label: str, got: list[tuple[float, float, None]]) -> None:
    print(f"{label}: {len(got)} requests of {WAIT} s, {together(got)}")
    print("\n".join(timeline(got)))


if __name__ == "__main__":
    # How long it all took depends on the machine's load; how many ran at once does not.
    report("time.sleep in async def", measure("/blocking")[1])
    report("await asyncio.sleep", measure("/awaiting")[1])
