"""offload: a blocking call made directly from async def serialises the requests; through
run_in_threadpool or anyio.to_thread.run_sync they overlap, within anyio's 40 threads."""

from __future__ import annotations

import asyncio
import importlib

import pytest

from onthewire.serving import serving_asgi

offload = importlib.import_module("snippets.async.offload")
blocking = importlib.import_module("snippets.async.blocking")
CLIENTS, WAIT = offload.CLIENTS, offload.WAIT


def test_a_direct_call_blocks_the_loop() -> None:
    elapsed, _ = blocking.measure("/direct", offload.app)
    assert elapsed >= CLIENTS * WAIT


@pytest.mark.parametrize("path", ["/threadpool", "/to-thread"])
def test_a_call_in_a_worker_thread_does_not(path: str) -> None:
    elapsed, _ = blocking.measure(path, offload.app)
    assert elapsed < 3 * WAIT


@pytest.mark.parametrize("path", ["/threadpool", "/to-thread"])
def test_both_share_the_40_threads_of_the_default_limiter(path: str) -> None:
    with serving_asgi(offload.app) as url:
        elapsed = asyncio.run(blocking.at_once(url + path, 60))
    assert elapsed >= 2 * WAIT  # 40, then 20: at least two rounds (more on a busy machine)


def test_the_page_output(snippet_output) -> None:
    assert snippet_output("offload.py").splitlines() == [
        "GET /direct: 8 requests took about 1.6 s (8 x 0.2 s)",
        "GET /threadpool: 8 requests took about 0.2 s (1 x 0.2 s)",
        "GET /to-thread: 8 requests took about 0.2 s (1 x 0.2 s)",
    ]
