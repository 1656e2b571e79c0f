"""slow_endpoint: both apps answer the same JSON after the upstream wait; only one gives the
thread back while waiting."""

from __future__ import annotations

import asyncio
import importlib
import time

import pytest

slow = importlib.import_module("snippets.async.slow_endpoint")


def test_both_apps_answer_the_same_body_after_the_wait() -> None:
    started = time.perf_counter()
    assert slow.call_wsgi() == ("200 OK", slow.BODY)
    assert time.perf_counter() - started >= slow.UPSTREAM_SECONDS
    assert asyncio.run(slow.call_asgi()) == (200, slow.BODY)


def test_the_async_app_waits_for_many_requests_at_once_on_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    # Counted, not timed: how many calls are inside their wait at the same moment.
    waiting, most = 0, 0
    real_sleep = asyncio.sleep

    async def counted_sleep(seconds: float) -> None:
        nonlocal waiting, most
        waiting += 1
        most = max(most, waiting)
        await real_sleep(seconds)
        waiting -= 1

    monkeypatch.setattr(slow.asyncio, "sleep", counted_sleep)

    async def ten() -> None:
        await asyncio.gather(*(slow.call_asgi() for _ in range(10)))

    started = time.perf_counter()
    asyncio.run(ten())
    assert most == 10  # ten waits overlap on one loop, in one thread
    assert time.perf_counter() - started >= slow.UPSTREAM_SECONDS


def test_the_page_output(snippet_output) -> None:
    assert snippet_output("slow_endpoint.py").splitlines() == [
        "wsgi_app: 200 OK b'{\"answer\": 42}\\n'",
        "asgi_app: 200 b'{\"answer\": 42}\\n'",
    ]
