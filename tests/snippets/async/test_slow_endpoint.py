"""slow_endpoint: both apps answer the same JSON after the upstream wait; only one gives the
thread back while waiting."""

from __future__ import annotations

import asyncio
import importlib
import time

slow = importlib.import_module("snippets.async.slow_endpoint")


def test_both_apps_answer_the_same_body_after_the_wait() -> None:
    started = time.perf_counter()
    assert slow.call_wsgi() == ("200 OK", slow.BODY)
    assert time.perf_counter() - started >= slow.UPSTREAM_SECONDS
    assert asyncio.run(slow.call_asgi()) == (200, slow.BODY)


def test_the_async_app_waits_for_many_requests_at_once_on_one_thread() -> None:
    async def ten() -> float:
        started = time.perf_counter()
        await asyncio.gather(*(slow.call_asgi() for _ in range(10)))
        return time.perf_counter() - started

    assert asyncio.run(ten()) < 3 * slow.UPSTREAM_SECONDS  # ten waits overlap, not 10 x


def test_the_page_output(snippet_output) -> None:
    assert snippet_output("slow_endpoint.py").splitlines() == [
        "wsgi_app: 200 OK b'{\"answer\": 42}\\n'",
        "asgi_app: 200 b'{\"answer\": 42}\\n'",
    ]
