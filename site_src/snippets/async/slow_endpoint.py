"""The same slow endpoint twice: for a WSGI server, and as an async ASGI handler.

Each request waits UPSTREAM_SECONDS for an "upstream" (a database, another HTTP service)
before it answers. The wait is simulated inside the app: `time.sleep` holds the thread
that runs the WSGI app; `await asyncio.sleep` gives the event loop back while it waits,
exactly as awaiting a socket read would. A real upstream server would cost CPU of its own on
the machine that runs the benchmark and blur what is measured: the servers' concurrency.

The concurrency notebook serves `wsgi_app` with gunicorn (sync and gthread workers) and
`asgi_app` with uvicorn. Run this file to call each app once, in-process, without a server.

Run it:  python slow_endpoint.py
Try:     replace `await asyncio.sleep(...)` with `time.sleep(...)` in asgi_app and run the
         notebook again: uvicorn drops to one request at a time.
"""

from __future__ import annotations

import asyncio
import time

UPSTREAM_SECONDS = 0.1  # how long the upstream takes to answer
BODY = b'{"answer": 42}\n'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def waited(started: float) -> tuple[str, str]:
    """A header saying when this request's wait began and ended, on the machine's monotonic
    clock (CLOCK_MONOTONIC on Linux: one clock for every process), so that the load generator
    can count how many requests a server held at once, whichever process held them."""
    return ("X-Waited", f"{started:.6f} {time.monotonic():.6f}")


# --8<-- [start:wsgi]
def wsgi_app(environ, start_response):
    started = time.monotonic()
    time.sleep(UPSTREAM_SECONDS)  # the upstream: this worker (or thread) waits, held
    start_response("200 OK", [*HEADERS, waited(started)])
    return [BODY]
# --8<-- [end:wsgi]


# --8<-- [start:asgi]
async def asgi_app(scope, receive, send):
    assert scope["type"] == "http"  # uvicorn runs with --lifespan off
    started = time.monotonic()
    await asyncio.sleep(UPSTREAM_SECONDS)  # the upstream: the event loop serves others
    await send({
        "type": "http.response.start",
        "status": 200,
        "headers": [(name.lower().encode(), value.encode()) for name, value in [*HEADERS, waited(started)]],
    })
    await send({"type": "http.response.body", "body": BODY})
# --8<-- [end:asgi]


def call_wsgi() -> tuple[str, bytes]:
    """Call wsgi_app as a WSGI server would; return (status, body)."""
    got = {}

    def start_response(status, headers, exc_info=None):
        got["status"] = status

    body = b"".join(wsgi_app({"REQUEST_METHOD": "GET", "PATH_INFO": "/"}, start_response))
    return got["status"], body


async def call_asgi() -> tuple[int, bytes]:
    """Call asgi_app as an ASGI server would; return (status, body)."""
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await asgi_app({"type": "http", "method": "GET", "path": "/", "headers": []}, receive, send)
    return sent[0]["status"], sent[1]["body"]


if __name__ == "__main__":
    print("wsgi_app:", *call_wsgi())
    print("asgi_app:", *asyncio.run(call_asgi()))
