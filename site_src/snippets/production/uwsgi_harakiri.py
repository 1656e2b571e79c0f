"""uWSGI: a master, worker processes with threads, and harakiri for requests that run too long.

uWSGI is one C program that can be the whole stack: a master process that forks and watches
workers (--master, --processes), threads in each worker (--threads), its own HTTP parser
(--http-socket) or router (--http), and a per-request time limit, harakiri: the master
kills the worker that has been on one request longer than --harakiri seconds, and forks a
new one. Here a 3 s view meets --harakiri 1.

Worker numbers, cores (threads) and process IDs change from run to run: they are shown as
K and N.

Run it:  python uwsgi_harakiri.py   (uWSGI is compiled once, the first time: a C build)
Try:     --harakiri 5 (the view finishes); --processes 1 --threads 1 and two slow requests.
"""

from __future__ import annotations

import re
import time

import httpx

from snippets.production.servers import shown, uwsgi, uwsgi_command

# --8<-- [start:options]
OPTIONS = ["--processes", "2", "--threads", "2", "--harakiri", "1"]
# --8<-- [end:options]
HARAKIRI = int(OPTIONS[OPTIONS.index("--harakiri") + 1])
VIEW_SECONDS = 3
STARTUP = ("spawned uWSGI", "*** Operational MODE")
KILLED = ("*** HARAKIRI ON", "HARAKIRI [core", "DAMN", "Respawned")


# --8<-- [start:slow]
def slow_request() -> dict:
    with uwsgi(*OPTIONS) as server:
        started = time.perf_counter()
        try:
            got = str(httpx.get(f"{server.url}/slow?s={VIEW_SECONDS}", timeout=30).status_code)
        except httpx.RemoteProtocolError as e:
            got = f"no response: {e}"
        elapsed = time.perf_counter() - started
        server.wait_for_output("Respawned uWSGI worker")  # the master has replaced the worker
        after = httpx.get(server.url, timeout=10).status_code
        log = server.output()
    return {"got": got, "elapsed": elapsed, "after": after, "log": log}
# --8<-- [end:slow]


def lines(log: str, starts: tuple[str, ...]) -> list[str]:
    """The log lines that contain one of `starts`, without dates, PIDs and worker numbers."""
    kept = []
    for line in log.splitlines():
        if any(re.match(r"(\w{3} \w{3} +\d+ [\d:]+ \d{4} - )?" + re.escape(s), line) for s in starts):
            line = re.sub(r"^\w{3} \w{3} +\d+ [\d:]+ \d{4} - ", "", line)  # the date
            line = re.sub(r"(pid: |since |core )\d+", r"\1N", line)
            if not line.startswith("spawned"):
                line = re.sub(r"(?i)(worker) \d+", r"\1 K", line)
            kept.append(line)
    return kept


if __name__ == "__main__":
    print(shown(uwsgi_command("uwsgi", "PORT", *OPTIONS)))
    got = slow_request()
    print("\n".join(f"  {line}" for line in lines(got["log"], STARTUP)))
    print(f"GET /slow?s={VIEW_SECONDS}: {got['got']}")
    # No stopwatch needed: a view that ran to its end would have answered 200.
    print(f"  the view ran to its end: {got['got'] == '200'}")
    print("\n".join(f"  {line}" for line in lines(got["log"], KILLED)))
    print(f"the next request: {got['after']}")
