"""Start each server on the slow endpoint, and load it with N concurrent clients.

Three ways to serve the same endpoint (slow_endpoint.py: 0.1 s waiting on an upstream):

- gunicorn, sync workers: 2 processes, each serving one request at a time;
- gunicorn, gthread workers: 2 processes x 4 threads, one request per thread;
- uvicorn: 1 process, 1 thread, an event loop running the async handler.

The load generator is a few lines of asyncio: `concurrency` clients, each sending requests
one after another on fresh connections (`Connection: close`, which gunicorn's sync worker
does anyway) until `total` have been answered. Writing a request and reading a small response costs
microseconds of CPU, so the clients, which share the machine's cores with the servers, do
not become the bottleneck. Each result says how many requests per second were answered and
how long the clients waited (median, 99th percentile).

Run it:  python loadtest.py   (prints the command lines, then checks each server answers)
Try:     add a server with gunicorn's "--worker-class", "gevent": gevent patches
         time.sleep, so the sync-looking app stops holding its worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import re
import statistics
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from onthewire.serving import HOST, Running, free_port, python, running

# `async` is a keyword, so the sibling module is imported by its name as a string.
blocking = importlib.import_module("snippets.async.blocking")

APP = "snippets.async.slow_endpoint"  # importable wherever the course's Python runs
TIMEOUT = 30.0  # seconds; gunicorn sync at 64 clients keeps each client waiting about 3 s

# --8<-- [start:servers]
SERVERS = {
    "gunicorn sync (2 workers)": [
        "-m", "gunicorn", "--workers", "2", f"{APP}:wsgi_app"],
    "gunicorn gthread (2 workers x 4 threads)": [
        "-m", "gunicorn", "--workers", "2", "--worker-class", "gthread", "--threads", "4",
        f"{APP}:wsgi_app"],
    "uvicorn (1 process, async handler)": [
        "-m", "uvicorn", "--lifespan", "off", "--no-access-log", f"{APP}:asgi_app"],
}
# --8<-- [end:servers]


def command(name: str, port: int | str) -> list[str]:
    """The full command line for SERVERS[name], listening on 127.0.0.1:port."""
    args = SERVERS[name]
    where = ["--bind", f"{HOST}:{port}"] if "gunicorn" in args else ["--host", HOST, "--port", str(port)]
    return [python(), *args[:-1], *where, args[-1]]


@contextlib.contextmanager
def serve(name: str) -> Iterator[Running]:
    """Run SERVERS[name] on a free port until the block ends, warmed up."""
    port = free_port()
    with running(command(name, port), port=port) as server:
        # gunicorn listens before its workers have booted: a few rounds of requests first.
        with ThreadPoolExecutor(8) as pool:
            for answer in pool.map(lambda _: httpx.get(server.url, timeout=TIMEOUT), range(16)):
                answer.raise_for_status()
        yield server


# --8<-- [start:client]
WAITED = re.compile(rb"(?im)^x-waited: ([\d.]+) ([\d.]+)\r$")  # slow_endpoint.waited()


async def one_request(port: int) -> tuple[float, tuple[float, float]]:
    """One GET on a new connection; return how long the client waited for the whole answer,
    and when the server's wait for the upstream began and ended (its X-Waited header)."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        writer.write(b"GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
        answer = await reader.read()  # everything, up to the server's close
    finally:
        writer.close()
    if not answer.startswith(b"HTTP/1.1 200 ") or not (span := WAITED.search(answer)):
        raise RuntimeError(f"unexpected answer {answer[:40]!r}")
    return time.perf_counter() - started, (float(span[1]), float(span[2]))


async def load(port: int, concurrency: int, total: int) -> Result:
    """`concurrency` clients send `total` requests between them, each waiting for its answer."""
    waits: list[float] = []
    spans: list[tuple[float, float]] = []
    queued = iter(range(total))

    async def client() -> None:
        for _ in queued:  # the clients share one iterator: `total` requests in all
            wait, span = await asyncio.wait_for(one_request(port), TIMEOUT)
            waits.append(wait)
            spans.append(span)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return Result(concurrency, total, time.perf_counter() - started, waits, spans)
# --8<-- [end:client]


@dataclass
class Result:
    concurrency: int
    total: int
    seconds: float
    waits: list[float]
    spans: list[tuple[float, float]]  # when the server waited for the upstream, per request

    @property
    def throughput(self) -> float:
        """Requests answered per second."""
        return self.total / self.seconds

    @property
    def most_at_once(self) -> int:
        """The most requests the server held at the same moment. Counted: a busy machine
        stretches every time, and so moves throughput, far more than it moves this."""
        return blocking.most_at_once(self.spans)

    def percentile(self, p: int) -> float:
        """The wait that p% of the requests did not exceed, in seconds."""
        return statistics.quantiles(self.waits, n=100, method="inclusive")[p - 1]


async def sweep(name: str, levels: list[int], per_client: int = 2, minimum: int = 10) -> list[Result]:
    """Serve with SERVERS[name] and load it at each level of concurrency in turn.

    Each level sends `per_client` requests per client (at least `minimum`): enough for a
    median and a tail, few enough that the slowest server is done in seconds.
    """
    with serve(name) as server:
        return [await load(server.port, c, max(minimum, per_client * c)) for c in levels]


if __name__ == "__main__":
    for name in SERVERS:
        shown = " ".join(["python", *command(name, "PORT")[1:]])
        with serve(name) as server:
            result = asyncio.run(load(server.port, concurrency=4, total=8))
        print(f"{name}:\n  {shown}\n  answered {len(result.waits)} of {result.total} requests")
