"""Gunicorn's worker classes: what one worker process does with 6 requests at once.

The view sleeps 0.2 s (a slow query). Each server has exactly one worker process:

- sync: the worker handles one request at a time, the others wait in the listen queue;
- gthread: the worker runs a pool of threads, one request per thread;
- gevent: the worker runs greenlets on an event loop, and gevent's monkey patching turns
  the view's blocking time.sleep (and socket calls) into a switch to another greenlet.

Each answer also says what the app saw in wsgi.multithread and wsgi.multiprocess.

Run it:  python worker_classes.py
Try:     replace time.sleep in apps.py with a busy loop: gthread and gevent fall back to one
         request at a time (the GIL, and a greenlet that never yields).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from snippets.production.servers import gunicorn

CLIENTS = 6
VIEW_SECONDS = 0.2

# --8<-- [start:classes]
CLASSES = {
    "sync": ["--workers", "1", "--worker-class", "sync"],
    "gthread": ["--workers", "1", "--worker-class", "gthread", "--threads", str(CLIENTS)],
    "gevent": ["--workers", "1", "--worker-class", "gevent", "--worker-connections", "100"],
}


def measure(worker_class: str) -> tuple[float, dict]:
    """Seconds until CLIENTS requests sent at once to the slow view were all answered;
    and what the app found in environ about the server."""
    with gunicorn(*CLASSES[worker_class]) as server:
        url = f"{server.url}/slow?s={VIEW_SECONDS}"
        with httpx.Client(timeout=30, limits=httpx.Limits(max_connections=CLIENTS)) as client:
            with ThreadPoolExecutor(CLIENTS) as pool:
                started = time.perf_counter()
                for answer in pool.map(client.get, [url] * CLIENTS):
                    answer.raise_for_status()
                elapsed = time.perf_counter() - started
            seen = client.get(server.url).json()
    return elapsed, seen
# --8<-- [end:classes]


def pattern(elapsed: float) -> str:
    """How the requests were served, in words that stay the same from run to run."""
    if elapsed >= CLIENTS * VIEW_SECONDS:
        return f"one after another: {CLIENTS} views' time or more"
    if elapsed < 2 * VIEW_SECONDS:
        return "all at once: about one view's time"
    return "partly at once"


if __name__ == "__main__":
    print(f"{CLIENTS} requests at once, a {VIEW_SECONDS} s view, 1 worker process:")
    for worker_class in CLASSES:
        elapsed, seen = measure(worker_class)
        print(f"  {worker_class:8} {pattern(elapsed)}; wsgi.multithread={seen['multithread']}")
