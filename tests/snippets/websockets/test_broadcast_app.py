"""broadcast_app: in one process, both rooms deliver every message to every member."""

from __future__ import annotations

import json

import pytest
from websockets.sync.client import connect

from onthewire.redis_server import serving_redis
from onthewire.serving import serving_asgi
from snippets.websockets import broadcast_app


def _chat_in_one_process(monkeypatch: pytest.MonkeyPatch, broker: str) -> list[str]:
    monkeypatch.setenv("CHAT_BROKER", broker)
    with serving_asgi(broadcast_app.app, lifespan="on") as url:
        ws_url = url.replace("http://", "ws://") + "/chat"
        with connect(ws_url) as alice, connect(ws_url) as bob:
            workers = {json.loads(alice.recv(timeout=5))["worker"], json.loads(bob.recv(timeout=5))["worker"]}
            assert len(workers) == 1
            alice.send("hi bob")
            return [alice.recv(timeout=5), bob.recv(timeout=5)]


def test_memory_room_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _chat_in_one_process(monkeypatch, "memory") == ["hi bob", "hi bob"]


@pytest.mark.system("redis-server")
def test_redis_room_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    with serving_redis() as redis_url:
        assert _chat_in_one_process(monkeypatch, redis_url) == ["hi bob", "hi bob"]
