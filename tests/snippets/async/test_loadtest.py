"""loadtest: each server answers the load generator; sync workers cap throughput at
workers / wait, the event loop does not."""

from __future__ import annotations

import asyncio
import importlib

import pytest

loadtest = importlib.import_module("snippets.async.loadtest")
WAIT = importlib.import_module("snippets.async.slow_endpoint").UPSTREAM_SECONDS


@pytest.mark.parametrize("name", list(loadtest.SERVERS))
def test_every_server_answers_every_request(name: str) -> None:
    with loadtest.serve(name) as server:
        result = asyncio.run(loadtest.load(server.port, concurrency=4, total=8))
    assert len(result.waits) == 8
    assert min(result.waits) >= WAIT  # each waited for the upstream


def test_sync_workers_cap_throughput_and_the_event_loop_does_not() -> None:
    sync = asyncio.run(loadtest.sweep("gunicorn sync (2 workers)", [8], minimum=16))[0]
    loop = asyncio.run(loadtest.sweep("uvicorn (1 process, async handler)", [8], minimum=16))[0]
    assert sync.throughput <= 1.1 * 2 / WAIT  # 2 workers, one request each per WAIT
    assert loop.throughput > 2.5 * sync.throughput  # 8 at once vs 2 at once: 4x at best


def test_percentiles() -> None:
    result = loadtest.Result(concurrency=1, total=100, seconds=1.0, waits=[i / 100 for i in range(1, 101)])
    assert result.throughput == 100
    assert result.percentile(50) == pytest.approx(0.505)
    assert result.percentile(99) == pytest.approx(0.9901)


def test_the_page_output(snippet_output) -> None:
    out = snippet_output("loadtest.py")
    assert out.count("answered 8 of 8 requests") == 3
    assert "python -m gunicorn --workers 2 --bind 127.0.0.1:PORT" in out


def test_uvicorn_defaults_to_uvloop_and_httptools_here() -> None:
    import uvicorn
    from uvicorn.protocols.http.auto import AutoHTTPProtocol
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    assert uvicorn.Config(f"{loadtest.APP}:asgi_app").get_loop_factory().__module__.startswith("uvloop")
    assert AutoHTTPProtocol is HttpToolsProtocol
