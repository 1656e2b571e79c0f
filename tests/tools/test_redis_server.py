"""onthewire.redis_server: a throwaway Redis in the foreground, on 127.0.0.1 and a free port,
that saves nothing and is gone when the block ends."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import pytest
import redis
import redis.asyncio

from onthewire.redis_server import command, serving_redis
from onthewire.serving import port_in_use

pytestmark = pytest.mark.system("redis-server")


def test_serves_and_stops(no_leftovers: None) -> None:
    with serving_redis() as url:
        client = redis.Redis.from_url(url)
        try:
            assert client.ping()
            assert client.set("greeting", "hello") and client.get("greeting") == b"hello"
            assert client.config_get("save") == {"save": ""}
            assert client.config_get("appendonly") == {"appendonly": "no"}
            assert client.config_get("bind") == {"bind": "127.0.0.1"}
        finally:
            client.close()
    assert url.startswith("redis://127.0.0.1:")
    assert not port_in_use(urlsplit(url).port)


def test_pub_sub_with_redis_asyncio(no_leftovers: None) -> None:
    async def exchange(url: str) -> bytes:
        client = redis.asyncio.from_url(url)
        async with client.pubsub() as pubsub:
            await pubsub.subscribe("news")
            await client.publish("news", "hello")
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
                if message is not None:
                    break
        await client.aclose()
        return message["data"]

    with serving_redis() as url:
        assert asyncio.run(exchange(url)) == b"hello"


def test_command_never_daemonizes() -> None:
    argv = command(6399, "/nowhere")
    assert argv[argv.index("--daemonize") + 1] == "no"
    assert argv[argv.index("--bind") + 1] == "127.0.0.1"
