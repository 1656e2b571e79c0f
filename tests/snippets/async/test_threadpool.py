"""threadpool: Starlette runs def endpoints in anyio's worker threads, 40 at a time by default;
raising the limiter's tokens at startup lets more run at once."""

from __future__ import annotations

import importlib

import anyio
import anyio.to_thread
import pytest
from fastapi import FastAPI

threadpool = importlib.import_module("snippets.async.threadpool")
WAIT = threadpool.WAIT


def test_the_default_limiter_has_40_tokens() -> None:
    async def tokens() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    assert anyio.run(tokens) == 40


def test_there_is_no_limiter_before_a_loop_runs() -> None:
    with pytest.raises(RuntimeError):
        anyio.to_thread.current_default_thread_limiter()


def test_60_requests_run_at_most_40_at_once() -> None:
    elapsed, waves, most = threadpool.measure(threadpool.default_app)
    assert most == 40 and waves >= 2
    assert elapsed >= 2 * WAIT  # the upper bound depends on the machine's load: waves say it


def test_with_60_tokens_all_60_run_at_once() -> None:
    elapsed, waves, most = threadpool.measure(threadpool.raised_app)
    assert most == 60
    assert elapsed >= WAIT


def test_the_limit_belongs_to_each_loop() -> None:
    threadpool.measure(threadpool.raised_app)  # raised, on that server's loop only
    _, waves, most = threadpool.measure(threadpool.default_app)
    assert most == 40 and waves >= 2


def test_fastapi_def_endpoints_share_the_same_limit() -> None:
    app = FastAPI()

    @app.get("/report")
    def report():  # a FastAPI path operation, def: run in anyio's threads too
        return threadpool.report(None)

    _, waves, most = threadpool.measure(app)
    assert most == 40 and waves >= 2


def test_waves() -> None:
    # Three calls start together; two start as soon as the first ones end: two rounds.
    first = [(0.0, WAIT), (0.01, WAIT + 0.01), (0.2, WAIT + 0.2)]
    second = [(WAIT, 2 * WAIT), (WAIT + 0.01, 2 * WAIT + 0.01)]
    assert threadpool.waves(first + second) == 2
    assert threadpool.waves(first) == 1  # a late start is still the first round if nothing had ended
    assert threadpool.waves([]) == 0


def test_the_page_output(snippet_output) -> None:
    assert snippet_output("threadpool.py").splitlines() == [
        "60 requests at once to a def endpoint that blocks for 0.3 s:",
        "  default limiter: at most 40 at once, the other 20 waited for a free thread",
        "  60 tokens: at most 60 at once, none waited",
    ]
