"""Pipelined responses come back in request order, so fast ones wait behind a slow one; on
separate connections they do not."""

from __future__ import annotations

import pytest

from onthewire.serving import serving_asgi
from snippets.http import pipelining
from snippets.http.demo_app import SLOW_SECONDS, app


@pytest.mark.parametrize("parser", ["httptools", "h11"])
def test_responses_in_order_and_head_of_line_blocking(parser: str) -> None:
    with serving_asgi(app, http=parser) as url:
        requests, answers = pipelining.pipelined(url)
        separate = pipelining.one_connection_each(url)
    assert requests.count(b"GET ") == 3
    assert [r.body for r, _ in answers] == [b"slow\n", b"hello\n", b"GET /echo got 0 bytes: b''\n"]
    assert all(seconds >= SLOW_SECONDS * 0.9 for _, seconds in answers)  # all waited for /slow
    # On their own connections the quick ones were answered before /slow: an order, not a time.
    assert separate[-1] == "/slow" and sorted(separate) == sorted(pipelining.TARGETS)


def test_the_slow_route_takes_what_the_page_says() -> None:
    assert SLOW_SECONDS == 0.3  # connections.md: "/slow (0.3 s)"
