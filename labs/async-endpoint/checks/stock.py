"""The checks' own stock service, and the clients the checks use besides the kit's `fetch`.

The stock service is a small ASGI app served by uvicorn in a thread of the checks' process
(the course's `serving_asgi`): the app under test reaches it through UPSTREAM_URL. It answers
GET /stock/SKU after DELAY seconds, /stock/broken with a 500, and it notes the client address
of every request it gets: a new (host, port) is a new TCP connection from the app.
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

DELAY = 0.2  # seconds the stock service takes to answer
TIMEOUT = 15.0  # seconds a check waits for the app (fetch(..., timeout=TIMEOUT)): 20 requests one at a time take ~4 s


@dataclass
class StockService:
    delay: float = DELAY
    connections: set[tuple[str, int]] = field(default_factory=set)  # one per TCP connection
    requests: int = 0

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return  # no lifespan to run: uvicorn carries on without one
        self.connections.add(tuple(scope["client"]))
        self.requests += 1
        await asyncio.sleep(self.delay)
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


def at_once(server: Running, path: str, n: int) -> float:
    """Send n GETs at the same moment, on n connections; return the seconds until all answered."""

    async def run() -> float:
        limits = httpx.Limits(max_connections=n)
        async with httpx.AsyncClient(base_url=server.url, timeout=TIMEOUT, limits=limits) as client:
            started = time.perf_counter()
            replies = await asyncio.gather(*(client.get(path) for _ in range(n)))
            elapsed = time.perf_counter() - started
        bad = [r.status_code for r in replies if r.status_code != 200]
        assert not bad, f"{len(bad)} of {n} concurrent requests failed, with {sorted(set(bad))}"
        return elapsed

    try:
        return asyncio.run(run())
    except httpx.HTTPError as e:
        raise AssertionError(f"{n} concurrent GET {path}: no proper answer ({type(e).__name__}: {e})") from None


def is_json_error(reply: httpx.Response) -> bool:
    """A JSON object with an "error" key, sent as application/json."""
    if not reply.headers.get("content-type", "").startswith("application/json"):
        return False
    try:
        return "error" in reply.json()
    except ValueError:
        return False
