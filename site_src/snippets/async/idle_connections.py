"""C10k in miniature: what do connections that say nothing cost each server?

A client that connects and sends nothing yet (a slow phone, a browser's spare connection, an
idle keep-alive) still has to be waited for. A sync worker waits for it the only way it
can: blocked in recv(), serving no one else. A thread pool gives it a thread. An event loop
registers the socket with the operating system (epoll on Linux) and serves whoever is
ready. Here each server gets some silent connections, then one ordinary request, which the
client gives up on after 1 s.

Run it:  python idle_connections.py
Try:     2 silent connections to gthread (2 workers x 4 threads) instead of 500; 5000 to
         uvicorn (check `ulimit -n` first: each connection is a file descriptor).
"""

from __future__ import annotations

import contextlib
import importlib
import socket

import httpx

from onthewire.serving import HOST

# `async` is a keyword, so the sibling module is imported by its name as a string.
loadtest = importlib.import_module("snippets.async.loadtest")
PATIENCE = 1.0  # seconds the ordinary client waits

# --8<-- [start:cases]
CASES = [  # (server, silent connections)
    ("gunicorn sync (2 workers)", 2),
    ("gunicorn gthread (2 workers x 4 threads)", 500),
    ("uvicorn (1 process, async handler)", 500),
]


def try_with_silent(name: str, silent: int) -> str:
    with loadtest.serve(name) as server, contextlib.ExitStack() as stack:
        for _ in range(silent):  # connect, then say nothing
            stack.enter_context(socket.create_connection((HOST, server.port), timeout=5))
        try:
            reply = httpx.get(server.url, timeout=PATIENCE)
        except httpx.TimeoutException:
            return f"no answer within {PATIENCE:g} s"
        return f"answered {reply.status_code}"
# --8<-- [end:cases]


if __name__ == "__main__":
    for name, silent in CASES:
        print(f"{name}, {silent} silent connections open: {try_with_silent(name, silent)}")
