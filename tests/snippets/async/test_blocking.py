"""blocking: time.sleep in async def serialises the requests; await asyncio.sleep overlaps them.

The claims rest on orderings (which handler started after which ended) and on how many ran
at once; time appears only as a lower bound, since a busy machine stretches every run."""

from __future__ import annotations

import importlib

blocking = importlib.import_module("snippets.async.blocking")
CLIENTS, WAIT = blocking.CLIENTS, blocking.WAIT


def test_a_blocking_call_serialises_the_requests() -> None:
    serial, spans = blocking.measure("/blocking")
    assert len(spans) == CLIENTS
    # Blocked: each handler starts after the previous one ended, so one at a time.
    for (_, end, _), (start, _, _) in zip(spans, spans[1:]):
        assert start >= end
    assert blocking.most_at_once(spans) == 1
    assert serial >= CLIENTS * WAIT  # one after another: at least the sum


def test_an_awaited_call_overlaps_them_all() -> None:
    _, spans = blocking.measure("/awaiting")
    assert len(spans) == CLIENTS
    # Awaited: every handler starts before the first one ends.
    first_end = min(end for _, end, _ in spans)
    assert all(start < first_end for start, _, _ in spans)
    assert blocking.most_at_once(spans) == CLIENTS


def test_most_at_once_and_the_timeline_use_orderings_only() -> None:
    staircase = [(0.0, 1.0, None), (1.0, 2.0, None), (2.5, 9.0, None)]
    assert blocking.most_at_once(staircase) == 1  # an end and a start at one instant: no overlap
    assert blocking.timeline(staircase) == ["  request 1 |#", "  request 2 |.#", "  request 3 |..#"]
    # The same orderings with every time stretched (a busy machine): the same picture.
    stretched = [(3 * a + 1, 3 * b + 1, None) for a, b, _ in staircase]
    assert blocking.timeline(stretched) == blocking.timeline(staircase)
    overlapping = [(0.0, 5.0, None), (0.1, 5.1, None), (4.9, 6.0, None)]
    assert blocking.most_at_once(overlapping) == 3
    assert blocking.together(overlapping) == "all 3 at once"
    assert blocking.together(overlapping + staircase) == "at most 4 at once"


def test_the_page_output(snippet_output) -> None:
    lines = snippet_output("blocking.py").splitlines()
    assert lines[0] == "time.sleep in async def: 8 requests of 0.2 s, one at a time"
    assert lines[1:9] == [f"  request {n} |{'.' * (n - 1)}#" for n in range(1, 9)]
    assert lines[9] == "await asyncio.sleep: 8 requests of 0.2 s, all 8 at once"
    assert lines[10:] == [f"  request {n} |#" for n in range(1, 9)]
