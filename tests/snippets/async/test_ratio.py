"""ratio: at 64 clients, gunicorn with 2 sync workers holds 2 requests at once and uvicorn
with an async handler all 64; the sync ceiling is 2 / 0.1 s.

Counts carry the claims; time only bounds throughput from above (a lower bound on time)."""

from __future__ import annotations

import asyncio
import importlib

ratio = importlib.import_module("snippets.async.ratio")
loadtest = ratio.loadtest


def test_sync_workers_hold_two_and_cannot_pass_their_ceiling() -> None:
    with loadtest.serve(ratio.SYNC) as server:
        result = asyncio.run(loadtest.load(server.port, ratio.CLIENTS, ratio.CLIENTS))
    assert result.most_at_once == 2  # 2 workers, one request each
    assert result.throughput <= ratio.ceiling(2)  # each held request takes at least WAIT
    assert min(result.waits) >= ratio.WAIT


def test_the_event_loop_holds_every_client_at_once() -> None:
    assert ratio.held(ratio.ASYNC) == ratio.CLIENTS


def test_ceiling() -> None:
    assert round(ratio.ceiling(2)) == 20


def test_the_page_output(snippet_output) -> None:
    assert snippet_output("ratio.py").splitlines() == [
        "64 clients at once, each request waiting 0.1 s for its upstream:",
        "  gunicorn sync (2 workers): 2 at once, the other 62 queued: at most 2 / 0.1 s = 20 requests/s",
        "  uvicorn (1 process, async handler): all 64 at once, 32 times as many",
    ]
