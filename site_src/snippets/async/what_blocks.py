"""What blocks the event loop, and what doesn't: each call, tried inside a coroutine.

While a coroutine makes the call, a second task ticks every 10 ms on the same loop. If not
one tick comes while the call runs, the call blocked the loop: nothing else could run, no
other request, no timeout, no ping. If ticks come, the call gave the loop back while it
waited (it was awaited) or ran somewhere else (a worker thread). A count, not a stopwatch:
a busy machine makes ticks late, but it cannot run one inside a call that holds the loop.

The upstream is a tiny async HTTP server that answers after 0.2 s, served by uvicorn in a
thread of its own, so a blocked loop here does not stop it.

Run it:  python what_blocks.py
Try:     add `json.dumps` of a big list, or `hashlib.pbkdf2_hmac(...)` with many iterations;
         print how many ticks each call let through, not just the verdict.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time

import httpx
import requests

from onthewire.serving import serving_asgi

WAIT = 0.2  # seconds each call takes
TICK = 0.01  # the heartbeat's period


async def upstream(scope, receive, send):
    """A slow upstream service: answers every request after WAIT seconds."""
    if scope["type"] != "http":
        return
    await asyncio.sleep(WAIT)
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"3")]})
    await send({"type": "http.response.body", "body": b"ok\n"})


def busy_loop() -> None:
    end = time.perf_counter() + WAIT
    while time.perf_counter() < end:  # pure Python work: it never waits, it computes
        pass


def slow_query() -> None:
    # A sync driver: the call returns when the database is done, and its thread waits meanwhile.
    with sqlite3.connect(":memory:") as db:
        db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000) "
                   "SELECT count(*) FROM n").fetchone()


def calls(url: str, client: httpx.AsyncClient) -> dict:
    """What to try, by label: each value makes a coroutine that does the call once.

    `client` is an httpx.AsyncClient made beforehand, as an app makes one at startup.
    """

    # --8<-- [start:calls]
    async def sleep_blocking():
        time.sleep(WAIT)

    async def compute():
        busy_loop()

    async def sync_driver():
        slow_query()

    async def with_requests():
        requests.get(url, timeout=5)

    async def with_sync_httpx():
        with httpx.Client(timeout=5) as client:
            client.get(url)

    async def new_client():
        httpx.AsyncClient()  # builds a TLS context: loads the CA certificates

    async def sleep_awaited():
        await asyncio.sleep(WAIT)

    async def with_async_httpx():
        await client.get(url)

    async def in_a_thread():
        await asyncio.to_thread(time.sleep, WAIT)

    async def computing_in_a_thread():
        await asyncio.to_thread(busy_loop)
    # --8<-- [end:calls]

    return {
        "time.sleep(0.2)": sleep_blocking,
        "a busy loop for 0.2 s (CPU work)": compute,
        "sqlite3: a slow query (a sync driver)": sync_driver,
        "requests.get(upstream)": with_requests,
        "httpx.Client().get(upstream)": with_sync_httpx,
        "httpx.AsyncClient(): creating one": new_client,
        "await asyncio.sleep(0.2)": sleep_awaited,
        "await client.get(upstream), an AsyncClient": with_async_httpx,
        "await asyncio.to_thread(time.sleep, 0.2)": in_a_thread,
        "await asyncio.to_thread(the busy loop)": computing_in_a_thread,
    }


# --8<-- [start:probe]
async def ticks_during(call) -> tuple[float, int]:
    """Run call() while a heartbeat ticks; return (call's seconds, ticks while it ran)."""
    ticks = []

    async def heartbeat():
        while True:
            await asyncio.sleep(TICK)
            ticks.append(time.perf_counter())

    beating = asyncio.create_task(heartbeat())
    await asyncio.sleep(TICK * 2)  # let it start ticking
    started = time.perf_counter()
    await call()
    ended = time.perf_counter()
    beating.cancel()
    # The heartbeat runs only when the loop runs it: a call that holds the loop lets none in.
    return ended - started, sum(started < t < ended for t in ticks)
# --8<-- [end:probe]


def blocked(ticks: int) -> bool:
    """The loop was blocked if not one tick came while the call ran."""
    return ticks == 0


async def main(url: str) -> dict[str, tuple[float, int]]:
    """(seconds, ticks while it ran) for each call, in order."""
    async with httpx.AsyncClient(timeout=5) as client:
        return {label: await ticks_during(call) for label, call in calls(url, client).items()}


if __name__ == "__main__":
    with serving_asgi(upstream) as url:
        results = asyncio.run(main(url))
    width = max(map(len, results))
    print(f"{'inside async def':{width}}  the event loop, while the call ran")
    for label, (_seconds, ticks) in results.items():
        print(f"{label:{width}}  {'BLOCKED' if blocked(ticks) else 'free: the ticks kept coming'}")
