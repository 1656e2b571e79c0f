"""loadtest: each server answers the load generator; sync workers hold as many requests at
once as they are workers, which caps throughput at workers / wait; the event loop holds many."""

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
        alone = asyncio.run(loadtest.load(server.port, concurrency=1, total=10))
    assert len(result.waits) == len(result.spans) == 8
    assert min(result.waits) >= WAIT  # each waited for the upstream
    # One client: one request at a time on every server, so at most 1 / WAIT per second
    # (the page's "one client" claim); async does not make a request shorter.
    assert alone.most_at_once == 1
    assert alone.throughput <= 1 / WAIT


def test_sync_workers_cap_what_they_hold_and_the_event_loop_does_not() -> None:
    sync = asyncio.run(loadtest.sweep("gunicorn sync (2 workers)", [8], minimum=16))[0]
    threads = asyncio.run(loadtest.sweep("gunicorn gthread (2 workers x 4 threads)", [32]))[0]
    loop = asyncio.run(loadtest.sweep("uvicorn (1 process, async handler)", [8], minimum=16))[0]
    # Counts: how many requests each server held at once, from the servers' own X-Waited spans.
    assert sync.most_at_once == 2  # 2 workers, one request each
    assert threads.most_at_once <= 8  # 2 workers x 4 threads
    assert loop.most_at_once > 2 * sync.most_at_once  # 8 clients: the loop holds (nearly) all 8
    # Time only from below: each held request takes at least WAIT, so 2 held give at most 2 / WAIT.
    assert sync.throughput <= 2 / WAIT


def test_percentiles() -> None:
    result = loadtest.Result(concurrency=1, total=100, seconds=1.0, waits=[i / 100 for i in range(1, 101)],
                             spans=[(0.0, 1.0), (0.5, 1.5), (1.5, 2.0)])
    assert result.throughput == 100
    assert result.most_at_once == 2
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
