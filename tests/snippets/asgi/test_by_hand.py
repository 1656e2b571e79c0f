"""by_hand: an ASGI app is one coroutine call per request, fed by receive() and heard through send()."""

from __future__ import annotations

import asyncio

from snippets.asgi.by_hand import app, call, make_scope


def test_the_body_comes_in_messages_and_the_response_goes_out_in_two() -> None:
    conversation = asyncio.run(call(app, make_scope("/ada", method="POST"), body=[b"Hello", b" again"]))
    assert [(d, m["type"]) for d, m in conversation] == [
        ("receive", "http.request"), ("receive", "http.request"),
        ("send", "http.response.start"), ("send", "http.response.body"),
    ]
    assert [m["more_body"] for d, m in conversation[:2]] == [True, False]
    start, body = conversation[2][1], conversation[3][1]
    assert start["status"] == 200
    assert all(isinstance(n, bytes) and isinstance(v, bytes) for n, v in start["headers"])
    assert body["body"] == b"Hello, ada! You sent 11 bytes.\n"
    assert body.get("more_body", False) is False


def test_a_client_that_left_gets_no_answer() -> None:
    async def gone() -> dict:
        return {"type": "http.disconnect"}

    sent = []

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(make_scope(), gone, send))
    assert sent == []


def test_other_scope_types_are_left_alone() -> None:
    conversation = asyncio.run(call(app, {**make_scope(), "type": "lifespan"}, body=[]))
    assert conversation == []


def test_the_page_output(snippet_output) -> None:
    lines = snippet_output("by_hand.py").splitlines()
    assert [line.split()[0] for line in lines] == ["receive", "receive", "send", "send"]
    assert "'more_body': True" in lines[0] and "'more_body': False" in lines[1]
