"""worker_classes: one sync worker serves one request at a time; one gthread or gevent
worker overlaps the waits of many."""

from __future__ import annotations

import pytest

from snippets.production.worker_classes import CLASSES, CLIENTS, VIEW_SECONDS, measure, pattern


@pytest.fixture(scope="module")
def results() -> dict:
    return {name: measure(name) for name in CLASSES}


def test_sync_serves_one_at_a_time(results: dict) -> None:
    elapsed, seen = results["sync"]
    assert elapsed >= CLIENTS * VIEW_SECONDS
    assert seen["multithread"] is False


@pytest.mark.parametrize("worker_class", ["gthread", "gevent"])
def test_threads_and_greenlets_overlap_the_waits(results: dict, worker_class: str) -> None:
    elapsed, seen = results[worker_class]
    assert elapsed < 3 * VIEW_SECONDS
    assert seen["multithread"] is True  # gevent's greenlets count as threads for the app


def test_one_worker_process_is_not_multiprocess(results: dict) -> None:
    assert {seen["multiprocess"] for _, seen in results.values()} == {False}


def test_pattern() -> None:
    assert pattern(CLIENTS * VIEW_SECONDS + 0.3).startswith("one after another")
    assert pattern(VIEW_SECONDS + 0.05).startswith("all at once")
