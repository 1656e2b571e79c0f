"""broadcast: with two uvicorn workers, in-memory rooms reach only the sender's worker (about
half the clients); through Redis pub/sub, every client gets every message. The counts wait
for messages that must come, never for silence (see broadcast.measure)."""

from __future__ import annotations

import pytest

from onthewire.redis_server import serving_redis
from snippets.websockets import broadcast

pytestmark = pytest.mark.system("redis-server")


def test_in_memory_reaches_the_senders_worker_only() -> None:
    with broadcast.serving_chat("memory") as url:
        measured = broadcast.measure(url, clients=12, messages=6)
    assert len(measured.clients_per_worker) == 2
    assert measured.reached == measured.senders_share
    assert measured.mean < 0.95


def test_redis_reaches_everyone() -> None:
    with serving_redis() as redis_url, broadcast.serving_chat(redis_url) as url:
        measured = broadcast.measure(url, clients=12, messages=6)
    assert len(measured.clients_per_worker) == 2
    assert measured.reached == [1.0] * 6


def test_the_page_output(snippet_output) -> None:
    out = snippet_output("broadcast.py")
    assert out.splitlines() == [
        f"{broadcast.CLIENTS} clients, {broadcast.MESSAGES} messages, each from another client",
        "in-memory rooms, 2 workers: every message reached every client: False",
        "Redis pub/sub,   2 workers: every message reached every client: True",
    ]
    assert broadcast.MESSAGES <= broadcast.CLIENTS  # "each from another client"
