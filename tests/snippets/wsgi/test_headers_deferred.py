"""headers_deferred: start_response sends nothing; the headers go out with the body."""

from __future__ import annotations

import pytest

from snippets.wsgi import headers_deferred as snippet
from snippets.wsgi.memory_wire import MemoryWire


@pytest.fixture
def run(monkeypatch):
    def run(empty_first: bool) -> dict[str, bytes]:
        monkeypatch.setattr(snippet, "EMPTY_FIRST", empty_first)
        monkeypatch.setattr(snippet, "wire", MemoryWire())
        snippet.steps.clear()
        snippet.wire.run(snippet.app)
        return dict(snippet.steps)
    return run


def test_nothing_is_sent_when_start_response_returns(run) -> None:
    steps = run(empty_first=False)
    assert steps["start_response() returned"] == b""
    after_first = steps["the first chunk was yielded"]
    assert after_first.startswith(b"HTTP/1.0 200 OK\r\n")
    assert after_first.endswith(b"Content-Type: text/plain\r\n\r\nfirst chunk\n")


def test_wsgiref_sends_the_headers_on_an_empty_first_chunk(run) -> None:
    # PEP 3333 says headers wait for the first *non-empty* chunk; wsgiref sends them at the
    # first chunk even if it is empty. If this ever changes, update responses.md.
    steps = run(empty_first=True)
    assert steps["an empty chunk was yielded"].endswith(b"Content-Type: text/plain\r\n\r\n")
