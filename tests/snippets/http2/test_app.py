"""app: the module's app answers with the scope's http_version, and /slow waits half a second."""

from __future__ import annotations

import asyncio
import time

from snippets.asgi.by_hand import call, make_scope
from snippets.http2.app import app


def _body(scope: dict) -> bytes:
    conversation = asyncio.run(call(app, scope, body=[]))
    return b"".join(m.get("body", b"") for d, m in conversation if d == "send" and m["type"] == "http.response.body")


def test_it_reports_the_http_version_it_is_given() -> None:
    assert _body(make_scope()) == b"http_version 1.1\n"
    assert _body(make_scope() | {"http_version": "2"}) == b"http_version 2\n"


def test_slow_waits_without_blocking_the_loop() -> None:
    finished: list[str] = []

    async def one(path: str) -> None:
        conversation = await call(app, make_scope(path=path), body=[])
        assert any(m["type"] == "http.response.body" for d, m in conversation if d == "send")
        finished.append(path)

    async def both() -> None:
        await asyncio.gather(one("/slow"), one("/"))  # /slow is started first

    started = time.monotonic()
    asyncio.run(both())
    # An ordering, not a time: / was answered while /slow waited on the same loop.
    assert finished == ["/", "/slow"]
    assert time.monotonic() - started >= 0.45  # it did wait (a lower bound only)


def test_prints_both_versions(snippet_output) -> None:
    assert snippet_output("app.py") == "http_version 1.1\nhttp_version 2\n"
