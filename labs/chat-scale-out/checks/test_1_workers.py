"""Two workers: clients land on both, and each worker subscribes to Redis once."""

from __future__ import annotations

import asyncio

import redis

from chat_checks import by_worker, close_all, spread
from onthewire.labs.kit import fail


def test_clients_land_on_both_workers(chat, record_property) -> None:
    """starts Redis and two workers as `wire start` does, and clients land on both workers

    Look at: serve.py and the join notice in chat() in app.py: {"event": "join", "user": ..., "worker": os.getpid()}.
    """

    async def run() -> dict[int, int]:
        clients = await spread(chat.url, "landing", per_worker=2)
        try:
            return {pid: len(mine) for pid, mine in by_worker(clients).items()}
        finally:
            await close_all(clients)

    counts = asyncio.run(run())
    family = set(chat.processes.members)
    if not set(counts) <= family:
        fail(f"the join notices name workers {sorted(counts)}, not processes serve.py started")
    record_property("measured", f"{sum(counts.values())} clients, split " + " + ".join(map(str, counts.values())) + " between the workers")


def test_one_subscription_per_worker(chat, record_property) -> None:
    """subscribes to Redis once per worker, however many clients it holds

    Look at: lifespan() in app.py: subscribe there, once, not in chat() for each client.
    """

    async def run() -> int:
        clients = await spread(chat.url, "subscribers", per_worker=3)
        try:
            with redis.Redis.from_url(chat.redis_url()) as broker:
                listing = broker.client_list()
            return sum(1 for c in listing if int(c.get("sub", 0)) + int(c.get("psub", 0)) > 0)
        finally:
            await close_all(clients)

    subscribers = asyncio.run(run())
    record_property("measured", f"{subscribers} Redis connections subscribed for 2 workers and 6 or more clients")
    if subscribers != 2:
        fail(f"{subscribers} connections to Redis are subscribed to a channel; want 2, one per worker")
