"""worker_classes: one sync worker serves one request at a time; one gthread or gevent
worker overlaps the waits of many.

Orderings carry the claims: how many short requests were answered while a long one was
still running. With one sync worker that is none, whatever the machine's load."""

from __future__ import annotations

import pytest

from snippets.production.worker_classes import CLASSES, CLIENTS, measure, pattern


@pytest.fixture(scope="module")
def results() -> dict:
    return {name: measure(name) for name in CLASSES}


def test_sync_serves_one_at_a_time(results: dict) -> None:
    during, seen = results["sync"]
    assert during == 0
    assert seen["multithread"] is False


@pytest.mark.parametrize("worker_class", ["gthread", "gevent"])
def test_threads_and_greenlets_overlap_the_waits(results: dict, worker_class: str) -> None:
    during, seen = results[worker_class]
    assert during == CLIENTS - 1
    assert seen["multithread"] is True  # gevent's greenlets count as threads for the app


def test_one_worker_process_is_not_multiprocess(results: dict) -> None:
    assert {seen["multiprocess"] for _, seen in results.values()} == {False}


def test_pattern() -> None:
    assert pattern(0).startswith("one after another")
    assert pattern(CLIENTS - 1).startswith("all at once")
    assert pattern(2).startswith("partly at once: 2 of")


def test_the_page_output(snippet_output) -> None:
    assert snippet_output("worker_classes.py").splitlines() == [
        "6 requests, a 1.2 s view first, then 5 of 0.2 s, 1 worker process:",
        "  sync     one after another: none of the other 5 answered while the first ran; wsgi.multithread=False",
        "  gthread  all at once: the other 5 answered while the first ran; wsgi.multithread=True",
        "  gevent   all at once: the other 5 answered while the first ran; wsgi.multithread=True",
    ]
