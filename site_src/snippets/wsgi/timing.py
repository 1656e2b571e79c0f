"""A timing middleware, and why it must measure until close(), not until the app returns.

A WSGI app may return before doing its work: a generator app has not run a single line when
the call returns, and a streaming response can go on for minutes afterwards. The end of a
response is the server's close() call (PEP 3333). So a middleware that wants the whole
duration wraps the iterable in an object whose close() stops the clock, and that passes
close() on to the app's iterable.

Run it:  python timing.py   (on a virtual clock that moves only when the app pauses, so
         the durations it prints are the same on any machine, however busy)
Try:     time a one-item list app: both middlewares agree. Then a generator: they don't.
"""

from __future__ import annotations

import sys
import time

from snippets.wsgi.by_hand import call, make_environ

STEP = 0.1  # seconds between chunks: a slow query, a slow upstream...


# --8<-- [start:app]
def report(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/csv")])
    for row in (b"a,1\n", b"b,2\n", b"c,3\n"):
        time.sleep(STEP)  # the work happens while the server iterates
        yield row
# --8<-- [end:app]


def log(environ, status: str, seconds: float, who: str) -> None:
    # wsgi.errors is the server's error log: a text stream every app may write to.
    print(f"[{who}] {environ['REQUEST_METHOD']} {environ['PATH_INFO']} {status} "
          f"took {seconds:.1f} s", file=environ["wsgi.errors"])


# --8<-- [start:naive]
class NaiveTiming:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        result = self.app(environ, start_response)  # nothing has run yet
        elapsed = time.perf_counter() - started
        log(environ, "(status not known yet)", elapsed, "naive")
        return result
# --8<-- [end:naive]


# --8<-- [start:timing]
class Timing:
    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        status = []

        def start_and_remember(s, headers, exc_info=None):
            status[:] = [s]
            return start_response(s, headers, exc_info)

        def done():
            elapsed = time.perf_counter() - started
            log(environ, status[0] if status else "-", elapsed, "timing")

        return TimedBody(self.app(environ, start_and_remember), done)


class TimedBody:
    """The app's iterable, with a close() that also reports."""

    def __init__(self, body, on_close):
        self.body = body
        self.on_close = on_close

    def __iter__(self):
        return iter(self.body)

    def close(self):
        try:
            if hasattr(self.body, "close"):
                self.body.close()  # first the app's own close(): never lose it
        finally:
            self.on_close()
# --8<-- [end:timing]


class VirtualClock:
    """Stands in for the `time` module: perf_counter() moves only when sleep() is called. A
    real clock also counts the machine's own delays, which a busy machine makes longer; this
    one counts the app's pauses and nothing else."""

    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


if __name__ == "__main__":
    time = VirtualClock()  # the app and both middlewares look `time` up here, when they run
    environ = make_environ("/report.csv")
    environ["wsgi.errors"] = sys.stdout  # show the log lines here
    # --8<-- [start:main]
    call(Timing(NaiveTiming(report)), environ)
    # --8<-- [end:main]
