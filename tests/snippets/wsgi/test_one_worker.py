"""one_worker: a single-threaded WSGI server serves concurrent slow requests one by one."""

from __future__ import annotations

from snippets.wsgi.one_worker import (CLIENTS, VIEW_SECONDS, OneThreadServer,
                                      ThreadPerRequestServer, measure)


def test_one_thread_serialises_and_a_thread_per_request_overlaps() -> None:
    serial, serial_spans = measure(OneThreadServer)
    parallel, parallel_spans = measure(ThreadPerRequestServer)
    assert serial >= CLIENTS * VIEW_SECONDS  # one after another: at least the sum
    # About CLIENTS times faster with threads; a loaded machine gets some slack.
    assert serial / parallel > CLIENTS / 3
    # One thread: each view starts after the previous one ended.
    for (_, end, _), (start, _, _) in zip(serial_spans, serial_spans[1:]):
        assert start >= end
    # A thread each: the views overlap (most start before the first one ends).
    first_end = min(end for _, end, _ in parallel_spans)
    assert sum(start < first_end for start, _, _ in parallel_spans) > CLIENTS / 2


def test_wsgiref_says_multithread_false_even_with_a_thread_per_request() -> None:
    _, spans = measure(ThreadPerRequestServer)
    assert {multithread for _, _, multithread in spans} == {False}
