"""Gunicorn's worker classes: what one worker process does with 6 requests at once.

The view sleeps (a slow query). Each server has exactly one worker process:

- sync: the worker handles one request at a time, the others wait in the listen queue;
- gthread: the worker runs a pool of threads, one request per thread;
- gevent: the worker runs greenlets on an event loop, and gevent's monkey patching turns
  the view's blocking time.sleep (and socket calls) into a switch to another greenlet.

The first client asks for a long view (as long as all six short ones together); the other
five, once it has sent its request, for a 0.2 s one. How many of the five are answered
while the first is still running says how the worker served them: an ordering, which a busy
machine does not change, where a time would stretch. Each answer also says what the app saw
in wsgi.multithread and wsgi.multiprocess.

Run it:  python worker_classes.py
Try:     replace time.sleep in apps.py with a busy loop: gthread and gevent fall back to one
         request at a time (the GIL, and a greenlet that never yields).
"""

from __future__ import annotations

import select
import socket
from concurrent.futures import ThreadPoolExecutor

import httpx

from onthewire.serving import HOST
from snippets.production.servers import gunicorn

CLIENTS = 6
VIEW_SECONDS = 0.2
LONG_SECONDS = CLIENTS * VIEW_SECONDS  # the first view: as long as all six one after another

# --8<-- [start:classes]
CLASSES = {
    "sync": ["--workers", "1", "--worker-class", "sync"],
    "gthread": ["--workers", "1", "--worker-class", "gthread", "--threads", str(CLIENTS)],
    "gevent": ["--workers", "1", "--worker-class", "gevent", "--worker-connections", "100"],
}


def measure(worker_class: str) -> tuple[int, dict]:
    """Send one long request, then CLIENTS - 1 short ones at once; return how many short
    ones were answered while the long one still ran, and what the app found in environ."""
    with gunicorn(*CLASSES[worker_class]) as server:
        with socket.create_connection((HOST, server.port), timeout=30) as first:
            first.sendall(b"GET /slow?s=%g HTTP/1.1\r\nHost: shop.example\r\n"
                          b"Connection: close\r\n\r\n" % LONG_SECONDS)

            def short(_: int) -> bool:
                httpx.get(f"{server.url}/slow?s={VIEW_SECONDS}", timeout=30).raise_for_status()
                # Still running if no byte of its answer has come yet (a look, not a wait).
                return not select.select([first], [], [], 0)[0]

            with ThreadPoolExecutor(CLIENTS - 1) as pool:
                during = sum(pool.map(short, range(CLIENTS - 1)))
            assert first.recv(12) == b"HTTP/1.1 200"
        seen = httpx.get(server.url, timeout=30).json()
    return during, seen
# --8<-- [end:classes]


def pattern(during: int) -> str:
    """How the requests were served, from how many short ones overlapped the long one."""
    if during == 0:
        return f"one after another: none of the other {CLIENTS - 1} answered while the first ran"
    if during == CLIENTS - 1:
        return f"all at once: the other {CLIENTS - 1} answered while the first ran"
    return f"partly at once: {during} of the other {CLIENTS - 1} answered while the first ran"


if __name__ == "__main__":
    print(f"{CLIENTS} requests, a {LONG_SECONDS:g} s view first, then {CLIENTS - 1} of {VIEW_SECONDS} s, "
          "1 worker process:")
    for worker_class in CLASSES:
        during, seen = measure(worker_class)
        print(f"  {worker_class:8} {pattern(during)}; wsgi.multithread={seen['multithread']}")
