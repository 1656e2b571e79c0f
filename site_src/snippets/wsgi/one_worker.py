"""One request holds one worker: a slow view blocks its thread for the whole request.

A WSGI call is synchronous: the server calls the app and gets nothing back until the app
returns, so the thread (or process) that called it can do nothing else meanwhile. How many
requests a WSGI server handles at once is therefore how many workers it has. Here 8 clients
ask at the same moment for a view that takes 0.2 s, first from wsgiref's WSGIServer (one
thread handles everything), then from the same server with a thread per request.

Run it:  python one_worker.py
Try:     raise CLIENTS to 16; set VIEW_SECONDS to 0.5; replace time.sleep with a CPU-bound
         loop and watch the thread-per-request server lose its advantage (the GIL).
"""

from __future__ import annotations

import math
import socketserver
import time
from concurrent.futures import ThreadPoolExecutor
from wsgiref.simple_server import WSGIServer

import httpx

from onthewire.serving import serving_wsgi

CLIENTS = 8
VIEW_SECONDS = 0.2
spans: list[tuple[float, float, bool]] = []  # (start, end, wsgi.multithread) per request


# --8<-- [start:app]
def slow_view(environ, start_response):
    started = time.perf_counter()
    time.sleep(VIEW_SECONDS)  # a slow query: the thread waits, and is held
    spans.append((started, time.perf_counter(), environ["wsgi.multithread"]))
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"done\n"]
# --8<-- [end:app]


# --8<-- [start:servers]
class OneThreadServer(WSGIServer):
    """wsgiref's server: one thread accepts, reads, calls, writes, repeat."""

    # The listen backlog: room for every client waiting to be accepted.
    # The default is 5; a bigger burst can leave clients waiting on TCP
    # retries, which would blur the measurement.
    request_queue_size = 64


class ThreadPerRequestServer(socketserver.ThreadingMixIn, OneThreadServer):
    """The same, plus a new thread per connection (socketserver's work)."""
# --8<-- [end:servers]


def measure(server_class) -> tuple[float, list[tuple[float, float, bool]]]:
    """Send CLIENTS requests at once; return (seconds until all answered, per-request spans)."""
    spans.clear()
    # --8<-- [start:measure]
    limits = httpx.Limits(max_connections=CLIENTS)
    with serving_wsgi(slow_view, server_class=server_class) as url:
        with httpx.Client(timeout=10, limits=limits) as client:
            with ThreadPoolExecutor(CLIENTS) as pool:
                started = time.perf_counter()
                for response in pool.map(client.get, [url] * CLIENTS):
                    response.raise_for_status()
                elapsed = time.perf_counter() - started
    # --8<-- [end:measure]
    return elapsed, sorted(spans)


def timeline(spans: list[tuple[float, float, bool]]) -> list[str]:
    """One row per request, one character per VIEW_SECONDS slot: '#' while the view ran."""
    origin = spans[0][0]
    rows = []
    for n, (start, _end, _multithread) in enumerate(spans, start=1):
        slot = round((start - origin) / VIEW_SECONDS)  # requests start on a slot boundary
        rows.append(f"  request {n} |{'.' * slot}#")
    return rows


if __name__ == "__main__":
    for server_class in (OneThreadServer, ThreadPerRequestServer):
        elapsed, got = measure(server_class)
        # Rounded down to whole views: the same output on every run and every machine.
        views = math.floor(elapsed / VIEW_SECONDS)
        print(f"{server_class.__name__}: {CLIENTS} requests of {VIEW_SECONDS} s took about "
              f"{views * VIEW_SECONDS:.1f} s ({views} x {VIEW_SECONDS} s)")
        print("\n".join(timeline(got)))
        print(f"  wsgi.multithread, as the app saw it: {got[0][2]}")
