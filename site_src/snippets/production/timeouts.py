"""Gunicorn's --timeout: what a client gets when a view runs longer than the timeout.

Each worker tells the master it is alive by touching a heartbeat file; a sync worker can
only do that between requests. The master kills a worker that stayed silent longer than
--timeout seconds (SIGABRT, then SIGKILL), and boots a new one. Here a view that takes 3 s
meets --timeout 1, under a sync worker and under a gthread worker, both at once.

Run it:  python timeouts.py
Try:     --timeout 5 (the sync worker lets the view finish); the gevent worker class.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from snippets.production.servers import gunicorn

TIMEOUT = 1  # seconds, Gunicorn's --timeout (whole seconds)
VIEW_SECONDS = 3

# --8<-- [start:slow]
def slow_request(worker_class: str) -> tuple[str, float, str]:
    """(what the client got, after how many seconds, the server's log)."""
    options = ["--workers", "1", "--worker-class", worker_class, "--timeout", str(TIMEOUT)]
    with gunicorn(*options) as server:
        started = time.perf_counter()
        try:
            answer = httpx.get(f"{server.url}/slow?s={VIEW_SECONDS}", timeout=30)
            got = f"{answer.status_code} {answer.reason_phrase}"
        except httpx.TransportError as e:
            got = type(e).__name__
        elapsed = time.perf_counter() - started
        after = httpx.get(server.url, timeout=10).status_code  # is anyone still serving?
        log = server.output()
    return f"{got}; the next request got {after}", elapsed, log
# --8<-- [end:slow]


def when(elapsed: float, got: str) -> str:
    """When the answer came, in words that stay the same from run to run.

    Only lower bounds come from the clock (a busy machine makes things late, never early);
    "before the view would have ended" comes from the answer itself: a view that ran to its
    end would have answered 200.
    """
    if elapsed < TIMEOUT:
        return f"before the {TIMEOUT} s timeout"
    if not got.startswith("200"):
        return f"after the {TIMEOUT} s timeout, before the view would have ended"
    return f"after the whole {VIEW_SECONDS} s view"


def both() -> dict[str, tuple[str, float, str]]:
    """Both worker classes at the same time: one wait for the two of them."""
    with ThreadPoolExecutor(2) as pool:
        return dict(zip(["sync", "gthread"], pool.map(slow_request, ["sync", "gthread"])))


def worth_seeing(log: str) -> list[str]:
    """The log's lines about the timeout, after the first worker booted; no timestamps, PIDs."""
    kept = []
    booted = log.index("Booting worker")
    for line in log[log.index("\n", booted):].splitlines():
        if re.search(r"WORKER TIMEOUT|Booting worker|Error handling request|Worker exiting", line):
            line = re.sub(r"^\[[^]]+\] \[\d+\] ", "", line)
            kept.append(re.sub(r"pid:? ?\d+", "pid:N", line))
    return kept


if __name__ == "__main__":
    for worker_class, (got, elapsed, log) in both().items():
        print(f"--worker-class {worker_class} --timeout {TIMEOUT}, a {VIEW_SECONDS} s view:")
        print(f"  the client got {got}")
        print(f"  it came {when(elapsed, got)}")
        print("\n".join(f"  log: {line}" for line in worth_seeing(log)) or "  log: (nothing about it)")
