"""one_worker: a single-threaded WSGI server serves concurrent slow requests one by one."""

from __future__ import annotations

from snippets.wsgi.one_worker import (CLIENTS, VIEW_SECONDS, OneThreadServer,
                                      ThreadPerRequestServer, measure, slots)


def test_one_thread_serialises_and_a_thread_per_request_overlaps() -> None:
    serial, serial_spans = measure(OneThreadServer)
    _, parallel_spans = measure(ThreadPerRequestServer)
    assert serial >= CLIENTS * VIEW_SECONDS  # one after another: at least the sum (a lower bound)
    # One thread: each view started after every earlier one ended, the staircase on the page.
    assert slots(serial_spans) == list(range(CLIENTS))
    # A thread each: the views overlap (most start before any other has ended). Counts, not
    # times, so a loaded machine cannot turn this into a false failure or a false pass.
    assert sum(slot == 0 for slot in slots(parallel_spans)) > CLIENTS / 2


def test_wsgiref_says_multithread_false_even_with_a_thread_per_request() -> None:
    _, spans = measure(ThreadPerRequestServer)
    assert {multithread for _, _, multithread in spans} == {False}
