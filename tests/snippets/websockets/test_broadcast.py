"""broadcast: with two uvicorn workers, in-memory rooms reach only the sender's worker (about
half the clients); through Redis pub/sub, every client gets every message."""

from __future__ import annotations

import pytest

from onthewire.redis_server import serving_redis
from snippets.websockets import broadcast

pytestmark = pytest.mark.system("redis-server")


def test_in_memory_reaches_the_senders_worker_only() -> None:
    with broadcast.serving_chat("memory") as url:
        measured = broadcast.measure(url, clients=12, messages=6, patience=1.0)
    assert len(measured.clients_per_worker) == 2
    assert measured.reached == measured.senders_share
    assert measured.mean < 0.95


def test_redis_reaches_everyone() -> None:
    with serving_redis() as redis_url, broadcast.serving_chat(redis_url) as url:
        measured = broadcast.measure(url, clients=12, messages=6)
    assert len(measured.clients_per_worker) == 2
    assert measured.reached == [1.0] * 6
