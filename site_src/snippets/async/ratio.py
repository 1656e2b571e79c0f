"""The notebook's result, measured again as the site is built: sync workers vs an event loop.

64 clients at once, 64 requests, against the 0.1 s slow endpoint (slow_endpoint.py). Each
answer says when the server waited for its upstream, so the load generator counts how many
requests each server held at the same moment. gunicorn with 2 sync workers holds 2, however
many clients wait, so it can answer at most 2 per 0.1 s: 20 per second. uvicorn's event loop
starts all 64 waits together. Counts, not requests per second, are what this page prints:
a busy machine moves throughput from one build to the next, and hardly moves these.

Run it:  python ratio.py
Try:     CLIENTS = 8: uvicorn holds 8, four times as many as the sync workers.
"""

from __future__ import annotations

import asyncio
import importlib

# `async` is a keyword, so the sibling module is imported by its name as a string.
loadtest = importlib.import_module("snippets.async.loadtest")
WAIT = importlib.import_module("snippets.async.slow_endpoint").UPSTREAM_SECONDS
SYNC, ASYNC = "gunicorn sync (2 workers)", "uvicorn (1 process, async handler)"
CLIENTS = 64


# --8<-- [start:measure]
def held(name: str) -> int:
    """The most requests SERVERS[name] held at once while CLIENTS clients asked at once."""
    with loadtest.serve(name) as server:
        return asyncio.run(loadtest.load(server.port, CLIENTS, CLIENTS)).most_at_once
# --8<-- [end:measure]


def ceiling(at_once: int) -> float:
    """Requests per second a server can answer at most, holding `at_once` waits of WAIT s."""
    return at_once / WAIT


if __name__ == "__main__":
    sync, async_ = held(SYNC), held(ASYNC)
    print(f"{CLIENTS} clients at once, each request waiting {WAIT} s for its upstream:")
    print(f"  {SYNC}: {sync} at once, the other {CLIENTS - sync} queued: "
          f"at most {sync} / {WAIT} s = {ceiling(sync):.0f} requests/s")
    held_all = f"all {async_}" if async_ == CLIENTS else f"{async_}"
    print(f"  {ASYNC}: {held_all} at once, {async_ // sync} times as many")
