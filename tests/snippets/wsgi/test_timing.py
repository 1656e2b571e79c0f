"""timing: only a wrapper whose close() stops the clock measures a streamed response."""

from __future__ import annotations

import io

import pytest

from snippets.wsgi.by_hand import call, make_environ
from snippets.wsgi import timing as timing_module
from snippets.wsgi.timing import STEP, NaiveTiming, TimedBody, Timing, VirtualClock, report


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


def test_on_the_virtual_clock_the_durations_are_the_apps_pauses(monkeypatch) -> None:
    clock = VirtualClock()
    monkeypatch.setattr(timing_module, "time", clock)
    environ = make_environ("/report.csv")
    environ["wsgi.errors"] = log = io.StringIO()
    call(Timing(NaiveTiming(report)), environ)
    assert clock.now == pytest.approx(3 * STEP)  # three pauses, and no real time counted
    assert [line.split()[-2] for line in log.getvalue().splitlines()] == ["0.0", f"{3 * STEP:.1f}"]


def test_the_page_output(snippet_output) -> None:
    # The page's sentence "the naive timer measured the creation of a generator; it did not
    # even know the status yet" rests on these two lines.
    assert snippet_output("timing.py") == (
        "[naive] GET /report.csv (status not known yet) took 0.0 s\n"
        "[timing] GET /report.csv 200 OK took 0.3 s\n"
    )
