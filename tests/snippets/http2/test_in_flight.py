"""in_flight: the app counts the /slow requests it holds at once, leaves the rest to app.py,
and a request leaves the count before its answer starts (so a reused HTTP/1.1 connection is
never counted twice)."""

from __future__ import annotations

import asyncio

from snippets.asgi.by_hand import call, make_scope
from snippets.http2 import in_flight


def test_counts_one_after_another_and_all_at_once() -> None:
    assert asyncio.run(in_flight.one_after_another(2)) == 1
    assert asyncio.run(in_flight.all_at_once(5)) == 5
    assert in_flight.running == 0


def test_asking_starts_the_count_over() -> None:
    asyncio.run(in_flight.all_at_once(2))
    assert asyncio.run(in_flight._in_flight()) == 0


def test_a_request_leaves_the_count_before_its_answer_starts() -> None:
    counts_at_send: list[int] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        counts_at_send.append(in_flight.running)

    asyncio.run(in_flight.app(make_scope(path="/slow"), receive, send))
    assert counts_at_send == [0, 0]  # response start and body: already off the count
    assert asyncio.run(in_flight._in_flight()) == 1


def test_other_paths_are_app_py_s() -> None:
    conversation = asyncio.run(call(in_flight.app, make_scope() | {"http_version": "2"}, body=[]))
    assert [m["body"] for d, m in conversation if d == "send" and m["type"] == "http.response.body"] == [b"http_version 2\n"]
    assert asyncio.run(in_flight._in_flight()) == 0  # / is not counted


def test_the_output(snippet_output) -> None:
    assert snippet_output("in_flight.py") == (
        "3 /slow calls one after another: at most 1 in flight\n"
        "3 /slow calls at once:           at most 3 in flight\n"
    )
