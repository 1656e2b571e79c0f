"""offload: a blocking call made directly from async def serialises the requests; through
run_in_threadpool or anyio.to_thread.run_sync they overlap, within anyio's 40 threads.

Counted, not timed: how many calls of legacy_lookup ran at once. Time only bounds from below."""

from __future__ import annotations

import asyncio
import importlib

import pytest

from onthewire.serving import serving_asgi

offload = importlib.import_module("snippets.async.offload")
blocking = importlib.import_module("snippets.async.blocking")
CLIENTS, WAIT = offload.CLIENTS, offload.WAIT


def test_a_direct_call_blocks_the_loop() -> None:
    elapsed, spans = blocking.measure("/direct", offload.app)
    assert len(spans) == CLIENTS and blocking.most_at_once(spans) == 1
    assert elapsed >= CLIENTS * WAIT


@pytest.mark.parametrize("path", ["/threadpool", "/to-thread"])
def test_a_call_in_a_worker_thread_does_not(path: str) -> None:
    _, spans = blocking.measure(path, offload.app)
    assert len(spans) == CLIENTS and blocking.most_at_once(spans) == CLIENTS


@pytest.mark.parametrize("path", ["/threadpool", "/to-thread"])
def test_both_share_the_40_threads_of_the_default_limiter(path: str) -> None:
    blocking.spans.clear()
    with serving_asgi(offload.app) as url:
        elapsed = asyncio.run(blocking.at_once(url + path, 60))
    assert len(blocking.spans) == 60
    assert blocking.most_at_once(blocking.spans) == 40  # 40, then the other 20 as threads come free
    assert elapsed >= 2 * WAIT  # at least two rounds (more on a busy machine)


def test_the_page_output(snippet_output) -> None:
    assert snippet_output("offload.py").splitlines() == [
        "GET /direct: 8 requests, one at a time",
        "GET /threadpool: 8 requests, all 8 at once",
        "GET /to-thread: 8 requests, all 8 at once",
    ]
