"""blocking: time.sleep in async def serialises the requests; await asyncio.sleep overlaps them."""

from __future__ import annotations

import importlib

blocking = importlib.import_module("snippets.async.blocking")
CLIENTS, WAIT = blocking.CLIENTS, blocking.WAIT


def test_a_blocking_call_serialises_and_an_awaited_one_overlaps() -> None:
    serial, serial_spans = blocking.measure("/blocking")
    overlapped, overlapped_spans = blocking.measure("/awaiting")
    assert serial >= CLIENTS * WAIT  # one after another: at least the sum
    assert overlapped < 3 * WAIT  # about one wait for all eight
    assert serial / overlapped > CLIENTS / 3
    # Blocked: each handler starts after the previous one ended.
    for (_, end, _), (start, _, _) in zip(serial_spans, serial_spans[1:]):
        assert start >= end
    # Awaited: every handler starts before the first one ends.
    first_end = min(end for _, end, _ in overlapped_spans)
    assert all(start < first_end for start, _, _ in overlapped_spans)


def test_the_page_output(snippet_output) -> None:
    lines = snippet_output("blocking.py").splitlines()
    assert lines[0] == "time.sleep in async def: 8 requests of 0.2 s took about 1.6 s (8 x 0.2 s)"
    assert lines[9] == "await asyncio.sleep: 8 requests of 0.2 s took about 0.2 s (1 x 0.2 s)"
