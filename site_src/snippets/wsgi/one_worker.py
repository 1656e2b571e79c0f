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


def slots(spans: list[tuple[float, float, bool]]) -> list[int]:
    """For each request (in the order the views started), how many views had already ended
    when its view started: 0 for all with a thread each, 0, 1, 2, ... with one thread.

    An order, not a stopwatch: a busy machine makes every view later, not this count different.
    """
    ends = [end for _start, end, _multithread in spans]
    return [sum(end <= start for end in ends) for start, _end, _multithread in spans]


def timeline(spans: list[tuple[float, float, bool]]) -> list[str]:
    """One row per request: a '.' for each view that had to end first, then '#' for its own."""
    return [f"  request {n} |{'.' * slot}#" for n, slot in enumerate(slots(spans), start=1)]


if __name__ == "__main__":
    for server_class in (OneThreadServer, ThreadPerRequestServer):
        _elapsed, got = measure(server_class)
        # Each view sleeps VIEW_SECONDS, so the last client waited (views in a row) x that.
        views = max(slots(got)) + 1
        print(f"{server_class.__name__}: {CLIENTS} requests of {VIEW_SECONDS} s took about "
              f"{views * VIEW_SECONDS:.1f} s ({views} x {VIEW_SECONDS} s)")
        print("\n".join(timeline(got)))
        print(f"  wsgi.multithread, as the app saw it: {got[0][2]}")
