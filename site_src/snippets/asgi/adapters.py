"""Adapters both ways: a WSGI app under an ASGI server, and an ASGI app under a WSGI server.

An adapter is an app of one interface that calls an app of the other. WSGI under ASGI: the
WSGI app blocks, so the adapter must run it in a thread, and which threads it uses decides
how many requests run at once. asgiref's WsgiToAsgi calls it through sync_to_async, whose
default (thread_sensitive=True), with no ThreadSensitiveContext open (WsgiToAsgi opens none),
runs every call in one and the same thread: one request at a time. a2wsgi's WSGIMiddleware
submits each call to a pool of 10 threads. Here uvicorn serves each adapter (a subprocess, as
in production) and 8 clients ask the same 0.25 s view at once. Each view counts the views
running when it starts, then waits (2 s at most) for all 8 to be in: views that can run at
once all get in, whatever the machine's load, and one that runs alone waits out the 2 s once.
The largest count is how many ran at once.

Run it:  python adapters.py
Try:     WSGIMiddleware(view, workers=4): at most 4 at once, in 4 threads.
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import httpx
from a2wsgi import WSGIMiddleware
from asgiref.wsgi import WsgiToAsgi

from onthewire.serving import free_port, python, running

HERE = Path(__file__).parent
CLIENTS = 8
VIEW_SECONDS = 0.25
PATIENCE = 2.0  # how long a view waits for the others: only a serialised run waits it out
views_running = 0
lock = threading.Lock()
all_in = threading.Barrier(CLIENTS, timeout=PATIENCE)


# --8<-- [start:apps]
def view(environ, start_response):
    """A WSGI view that blocks for a while (a slow query). It answers which thread ran it, and
    how many views were running when it started, itself included."""
    global views_running
    with lock:
        views_running += 1
        at_once = views_running
    try:
        all_in.wait()  # released when every client's view is in: they run at once
    except threading.BrokenBarrierError:
        pass  # the others could not start while this one ran: one at a time
    time.sleep(VIEW_SECONDS)
    with lock:
        views_running -= 1
    body = f"{threading.current_thread().name} {at_once}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


asgiref_app = WsgiToAsgi(view)      # asgiref: sync_to_async, thread_sensitive
a2wsgi_app = WSGIMiddleware(view)   # a2wsgi: a pool of 10 threads (workers=10)
# --8<-- [end:apps]


# --8<-- [start:measure]
async def _ask(url: str) -> tuple[float, list[str]]:
    limits = httpx.Limits(max_connections=CLIENTS)  # a connection each: nothing queues in httpx
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        started = time.perf_counter()
        responses = await asyncio.gather(*(client.get(url) for _ in range(CLIENTS)))
        return time.perf_counter() - started, [r.text for r in responses]


def measure(name: str) -> tuple[float, int, int]:
    """Serve adapters:NAME with uvicorn, send CLIENTS requests at once:
    (seconds until all were answered, threads that ran the views, most views at once)."""
    port = free_port()
    command = [python(), "-m", "uvicorn", f"adapters:{name}", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, port=port, cwd=HERE) as server:
        elapsed, answers = asyncio.run(_ask(server.url))
    threads = {answer.split()[0] for answer in answers}
    return elapsed, len(threads), max(int(answer.split()[1]) for answer in answers)
# --8<-- [end:measure]


if __name__ == "__main__":
    print(f"{CLIENTS} requests at once to a WSGI view that blocks for {VIEW_SECONDS} s:")
    for name in ("asgiref_app", "a2wsgi_app"):
        elapsed, threads, most = measure(name)
        print(f"  {name}: {threads} thread{'s' * (threads > 1)} ran the views, at most {most} at once")
        if most == 1:
            # One after another, so never less than CLIENTS views' time: a bound load cannot break.
            print(f"    one after another: {CLIENTS} x {VIEW_SECONDS} s = {CLIENTS * VIEW_SECONDS:g} s "
                  f"or more in all: {elapsed >= CLIENTS * VIEW_SECONDS}")
