"""The checks' own stock service, and the clients the checks use besides the kit's `fetch`.

The stock service is a small ASGI app served by uvicorn in a thread of the checks' process
(the course's `serving_asgi`): the app under test reaches it through UPSTREAM_URL. It answers
GET /stock/SKU after DELAY seconds, /stock/broken with a 500, and it notes the client address
of every request it gets: a new (host, port) is a new TCP connection from the app.

For the concurrency check it can hold its answers instead (`hold(n)`): none is sent until n
requests wait at once, or until no new one has come for HOLD_GAP seconds. An app that awaits
gets all n there together, and they are answered at once; one that blocks its event loop sends
the next request only after the first is answered, so that one waits out the gap, and the
rest are answered without delay: the claim rests on how many waited at once, not on a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx

from onthewire.serving import Running, serving_asgi

DELAY = 0.05  # seconds the stock service takes to answer, when it is not holding its answers
# Held answers go out once no new request has come for this long. An app that awaits sends its
# 20 requests within milliseconds of each other; the gap is what a blocking one costs, once.
HOLD_GAP = 1.5
TIMEOUT = 15.0  # seconds a check waits for the app (fetch(..., timeout=TIMEOUT))


@dataclass
class StockService:
    delay: float = DELAY
    connections: set[tuple[str, int]] = field(default_factory=set)  # one per TCP connection
    requests: int = 0
    waiting: int = 0  # requests being answered right now
    peak: int = 0  # the most that waited at once, since hold() (or the start)
    hold_for: int = 0  # hold answers until this many wait at once (0: answer after `delay`)
    held: bool = False  # answers are being held (until `hold_for` wait, or the gap passes)
    last_arrival: float = 0.0

    def hold(self, n: int) -> None:
        """Hold the next answers until `n` requests wait at once (or none comes for HOLD_GAP s)."""
        self.hold_for, self.held, self.peak = n, True, 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return  # no lifespan to run: uvicorn carries on without one
        self.connections.add(tuple(scope["client"]))
        self.requests += 1
        self.waiting += 1
        self.peak = max(self.peak, self.waiting)
        self.last_arrival = time.monotonic()
        try:
            if self.held:
                while self.held:
                    if self.waiting >= self.hold_for or time.monotonic() - self.last_arrival > HOLD_GAP:
                        self.held = False  # every held answer goes now, and later ones at once
                    else:
                        await asyncio.sleep(0.01)  # a poll interval
            elif not self.hold_for:
                await asyncio.sleep(self.delay)
        finally:
            self.waiting -= 1
        sku = scope["path"].removeprefix("/stock/")
        if sku == "broken":
            status, body = 500, {"error": "the stock database is down"}
        else:
            status, body = 200, {"sku": sku, "in_stock": 0 if sku.startswith("sold-out") else len(sku)}
        data = json.dumps(body).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode())]})
        await send({"type": "http.response.body", "body": data})


@contextlib.contextmanager
def stock_service() -> Iterator[tuple[str, StockService]]:
    """Run a StockService until the block ends; yield (its URL, the service)."""
    service = StockService()
    # Keep idle connections open for the whole check, so that reuse is the app's choice.
    with serving_asgi(service, lifespan="off", timeout_keep_alive=30) as url:
        yield url, service


def at_once(server: Running, path: str, n: int) -> None:
    """Send n GETs at the same moment, on n connections, and wait until all are answered."""

    async def run() -> None:
        limits = httpx.Limits(max_connections=n)
        async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT, limits=limits) as client:
            replies = await asyncio.gather(*(client.get(path) for _ in range(n)))
        bad = [r.status_code for r in replies if r.status_code != 200]
        assert not bad, f"{len(bad)} of {n} concurrent requests failed, with {sorted(set(bad))}"

    try:
        return asyncio.run(run())
    except httpx.HTTPError as e:
        raise AssertionError(f"{n} concurrent GET {path}: no proper answer ({type(e).__name__}: {e})") from None


def is_json_error(reply: httpx.Response) -> bool:
    """A JSON object with an "error" key, sent as application/json."""
    if not reply.headers.get("content-type", "").startswith("application/json"):
        return False
    try:
        body = reply.json()
    except ValueError:
        return False
    return isinstance(body, dict) and "error" in body
