"""idle_connections: silent connections hold sync workers and gthread's threads, so a real
request goes unanswered; uvicorn's event loop answers it with 500 silent connections open."""

from __future__ import annotations

import asyncio
import importlib
import selectors
import sys

import pytest

idle = importlib.import_module("snippets.async.idle_connections")
EXPECTED = {
    "gunicorn sync (2 workers)": "no answer within 1 s",
    "gunicorn gthread (2 workers x 4 threads)": "no answer within 1 s",
    "uvicorn (1 process, async handler)": "answered 200",
}


@pytest.mark.parametrize("name,silent", idle.CASES)
def test_silent_connections(name: str, silent: int) -> None:
    assert idle.try_with_silent(name, silent) == EXPECTED[name]


def test_two_silent_connections_leave_gthread_threads_to_answer() -> None:
    # 8 threads, 2 held: it is the number of threads that ran out above, not something else.
    assert idle.try_with_silent("gunicorn gthread (2 workers x 4 threads)", 2) == "answered 200"


@pytest.mark.skipif(sys.platform != "linux", reason="the page speaks of Linux")
def test_the_event_loop_watches_sockets_with_epoll() -> None:
    assert selectors.DefaultSelector is selectors.EpollSelector
    loop = asyncio.new_event_loop()
    try:
        assert isinstance(loop._selector, selectors.EpollSelector)
    finally:
        loop.close()


def test_without_silent_connections_every_server_answers() -> None:
    for name in EXPECTED:
        assert idle.try_with_silent(name, 0) == "answered 200"


def test_the_page_output(snippet_output) -> None:
    lines = snippet_output("idle_connections.py").splitlines()
    assert [line.rsplit(": ", 1)[1] for line in lines] == list(EXPECTED.values())
