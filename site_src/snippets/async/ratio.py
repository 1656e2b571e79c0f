"""The notebook's result, measured again as the site is built: sync workers vs an event loop.

64 clients at once, 64 requests, against the 0.1 s slow endpoint (slow_endpoint.py):
gunicorn with 2 sync workers can only ever answer 2 requests per 0.1 s, so about 20 per
second, however many clients wait. uvicorn's event loop starts all 64 waits together. The
ratio printed is rounded down to a bound that holds with room to spare, so this page says
the same thing on every build; the notebook plots the numbers themselves.

Run it:  python ratio.py
Try:     CLIENTS = 8: the ratio falls towards 8 / 2 (8 clients, 2 workers).
"""

from __future__ import annotations

import asyncio
import importlib

# `async` is a keyword, so the sibling module is imported by its name as a string.
loadtest = importlib.import_module("snippets.async.loadtest")
SYNC, ASYNC = "gunicorn sync (2 workers)", "uvicorn (1 process, async handler)"
CLIENTS = 64


# --8<-- [start:measure]
def throughput(name: str) -> float:
    """Requests per second that SERVERS[name] answered for CLIENTS clients at once."""
    with loadtest.serve(name) as server:
        return asyncio.run(loadtest.load(server.port, CLIENTS, CLIENTS)).throughput
# --8<-- [end:measure]


if __name__ == "__main__":
    sync, async_ = throughput(SYNC), throughput(ASYNC)
    print(f"{CLIENTS} clients at once, each request waiting 0.1 s for its upstream:")
    print(f"  {SYNC}: about {round(sync, -1):.0f} requests/s (2 workers / 0.1 s)")
    ratio = async_ / sync
    assert ratio > 5, f"uvicorn answered only {ratio:.1f} times as many"  # fails the build
    print(f"  {ASYNC}: more than {10 if ratio > 10 else 5} times as many")
