"""timeouts: a sync worker stuck in a view past --timeout is killed, the client gets a 500
and a new worker serves the next request; a gthread worker lets the view finish."""

from __future__ import annotations

import pytest
from gunicorn.config import Timeout

from snippets.production.timeouts import TIMEOUT, VIEW_SECONDS, both, when, worth_seeing


@pytest.fixture(scope="module")
def seen() -> dict:
    return both()


def test_sync_worker_timeout_gives_a_500_and_a_new_worker(seen: dict) -> None:
    got, elapsed, log = seen["sync"]
    # The 500 itself says the view never finished (it would have answered 200); the clock
    # only bounds it from below: not before the timeout.
    assert got == "500 Internal Server Error; the next request got 200"
    assert elapsed > TIMEOUT
    assert worth_seeing(log)[0] == "[CRITICAL] WORKER TIMEOUT (pid:N)"
    assert worth_seeing(log)[-1] == "[INFO] Booting worker with pid:N"


def test_gthread_worker_lets_the_slow_view_finish(seen: dict) -> None:
    got, elapsed, log = seen["gthread"]
    assert got == "200 OK; the next request got 200"
    assert elapsed >= VIEW_SECONDS
    assert "WORKER TIMEOUT" not in log and worth_seeing(log) == []


def test_when() -> None:
    killed, finished = "500 Internal Server Error; the next request got 200", "200 OK; the next request got 200"
    assert when(TIMEOUT + 0.5, killed) == "after the 1 s timeout, before the view would have ended"
    # A slow machine delays the 500 past the view's length: the words stay right.
    assert when(VIEW_SECONDS + 2, killed) == "after the 1 s timeout, before the view would have ended"
    assert when(VIEW_SECONDS + 0.1, finished) == f"after the whole {VIEW_SECONDS} s view"


def test_gunicorn_default_timeout_is_30_seconds() -> None:
    # gunicorn.md: "--timeout (30 s by default)".
    assert Timeout.default == 30
