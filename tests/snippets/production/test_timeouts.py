"""timeouts: a sync worker stuck in a view past --timeout is killed, the client gets a 500
and a new worker serves the next request; a gthread worker lets the view finish."""

from __future__ import annotations

import pytest

from snippets.production.timeouts import TIMEOUT, VIEW_SECONDS, both, when, worth_seeing


@pytest.fixture(scope="module")
def seen() -> dict:
    return both()


def test_sync_worker_timeout_gives_a_500_and_a_new_worker(seen: dict) -> None:
    got, elapsed, log = seen["sync"]
    assert got == "500 Internal Server Error; the next request got 200"
    assert TIMEOUT < elapsed < VIEW_SECONDS
    assert worth_seeing(log)[0] == "[CRITICAL] WORKER TIMEOUT (pid:N)"
    assert worth_seeing(log)[-1] == "[INFO] Booting worker with pid:N"


def test_gthread_worker_lets_the_slow_view_finish(seen: dict) -> None:
    got, elapsed, log = seen["gthread"]
    assert got == "200 OK; the next request got 200"
    assert elapsed >= VIEW_SECONDS
    assert "WORKER TIMEOUT" not in log and worth_seeing(log) == []


def test_when() -> None:
    assert when(TIMEOUT + 0.5).startswith("after the 1 s timeout")
    assert when(VIEW_SECONDS + 0.1) == f"after the whole {VIEW_SECONDS} s view"
