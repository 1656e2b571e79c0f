"""ratio: at 64 clients, uvicorn with an async handler answers at least 5 times as many
requests per second as gunicorn with 2 sync workers."""

from __future__ import annotations

import importlib

ratio = importlib.import_module("snippets.async.ratio")


def test_async_serves_at_least_five_times_the_sync_throughput() -> None:
    sync = ratio.throughput(ratio.SYNC)
    assert 15 < sync <= 22  # about 2 workers / 0.1 s
    assert ratio.throughput(ratio.ASYNC) >= 5 * sync


def test_the_page_output(snippet_output) -> None:
    lines = snippet_output("ratio.py").splitlines()
    assert lines[1] == "  gunicorn sync (2 workers): about 20 requests/s (2 workers / 0.1 s)"
    assert lines[2].startswith("  uvicorn (1 process, async handler): more than ")
