"""timing: only a wrapper whose close() stops the clock measures a streamed response."""

from __future__ import annotations

import io

import pytest

from snippets.wsgi.by_hand import call, make_environ
from snippets.wsgi.timing import STEP, NaiveTiming, TimedBody, Timing, report


def test_the_naive_timer_sees_nothing_and_the_close_timer_sees_the_whole_response() -> None:
    environ = make_environ("/report.csv")
    environ["wsgi.errors"] = log = io.StringIO()
    response = call(Timing(NaiveTiming(report)), environ)
    assert response.body == b"a,1\nb,2\nc,3\n"
    naive, timing = log.getvalue().splitlines()
    assert naive.startswith("[naive] GET /report.csv (status not known yet) took ")
    assert timing.startswith("[timing] GET /report.csv 200 OK took ")
    # Time only from below: the whole response includes the three STEP pauses.
    assert float(timing.split()[-2]) >= 3 * STEP - 1e-9


def test_the_naive_timer_reports_before_the_body_runs_and_the_close_timer_after_close() -> None:
    # The order carries the claim: nothing about how fast this machine is today.
    environ = make_environ("/report.csv")
    environ["wsgi.errors"] = log = io.StringIO()
    body = Timing(NaiveTiming(report))(environ, lambda status, headers, exc_info=None: None)
    assert [line.split()[0] for line in log.getvalue().splitlines()] == ["[naive]"]  # no row yet
    assert list(body) == [b"a,1\n", b"b,2\n", b"c,3\n"]
    assert [line.split()[0] for line in log.getvalue().splitlines()] == ["[naive]"]  # all rows, no close
    body.close()
    assert [line.split()[0] for line in log.getvalue().splitlines()] == ["[naive]", "[timing]"]


def test_timed_body_closes_the_apps_body_first_and_reports_even_if_that_fails() -> None:
    events = []

    class Body:
        def __iter__(self):
            return iter([b"x"])

        def close(self):
            events.append("body closed")
            raise OSError("disk gone")

    timed = TimedBody(Body(), lambda: events.append("reported"))
    assert list(timed) == [b"x"]
    with pytest.raises(OSError):
        timed.close()
    assert events == ["body closed", "reported"]
