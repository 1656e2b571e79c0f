"""Adapters both ways: a WSGI app under an ASGI server, and an ASGI app under a WSGI server.

An adapter is an app of one interface that calls an app of the other. WSGI under ASGI: the
WSGI app blocks, so the adapter must run it in a thread, and which threads it uses decides
how many requests run at once. asgiref's WsgiToAsgi calls it through sync_to_async, whose
default (thread_sensitive=True) runs every call in one and the same thread: one request at a
time. a2wsgi's WSGIMiddleware submits each call to a pool of 10 threads. Here uvicorn serves
each adapter (a subprocess, as in production) and 8 clients ask the same 0.25 s view at once.

Run it:  python adapters.py
Try:     WSGIMiddleware(view, workers=4): 8 requests now take two rounds.
"""

from __future__ import annotations

import asyncio
import importlib
import math
import threading
import time
from pathlib import Path

import httpx
from a2wsgi import WSGIMiddleware
from asgiref.wsgi import WsgiToAsgi

from onthewire.serving import free_port, python, running

# `async` is a keyword, so the sibling module is imported by its name as a string.
at_once = importlib.import_module("snippets.async.blocking").at_once

HERE = Path(__file__).parent
CLIENTS = 8
VIEW_SECONDS = 0.25


# --8<-- [start:apps]
def view(environ, start_response):
    """A WSGI view that blocks for a while (a slow query), and says which thread ran it."""
    time.sleep(VIEW_SECONDS)
    body = threading.current_thread().name.encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


asgiref_app = WsgiToAsgi(view)      # asgiref: sync_to_async, thread_sensitive
a2wsgi_app = WSGIMiddleware(view)   # a2wsgi: a pool of 10 threads (workers=10)
# --8<-- [end:apps]


# --8<-- [start:measure]
async def _ask(url: str) -> tuple[float, set[str]]:
    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(timeout=10, limits=limits) as client:
        started = time.perf_counter()
        responses = await asyncio.gather(*(client.get(url) for _ in range(CLIENTS)))
        return time.perf_counter() - started, {r.text for r in responses}


def measure(name: str) -> tuple[float, int]:
    """Serve adapters:NAME with uvicorn; (seconds for CLIENTS requests at once, threads used)."""
    port = free_port()
    command = [python(), "-m", "uvicorn", f"adapters:{name}", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, port=port, cwd=HERE) as server:
        elapsed, threads = asyncio.run(_ask(server.url))
    return elapsed, len(threads)
# --8<-- [end:measure]


if __name__ == "__main__":
    results = {name: measure(name) for name in ("asgiref_app", "a2wsgi_app")}
    for name, (elapsed, threads) in results.items():
        rounds = math.floor(elapsed / VIEW_SECONDS)  # whole views' worth: stable between runs
        print(f"{name}: {CLIENTS} requests of {VIEW_SECONDS} s took about {rounds * VIEW_SECONDS:.2f} s "
              f"({rounds} x {VIEW_SECONDS} s), in {threads} thread{'s' * (threads > 1)}")
    ratio = results["asgiref_app"][0] / results["a2wsgi_app"][0]
    print(f"WsgiToAsgi took more than {CLIENTS // 2} times as long as WSGIMiddleware: {ratio > CLIENTS // 2}")
