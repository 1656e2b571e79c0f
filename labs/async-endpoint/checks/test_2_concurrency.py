"""Concurrency: the event loop serves other requests while one waits for the stock service."""

from __future__ import annotations

from onthewire.labs.kit import fetch
from onthewire.serving import Running
from stock import DELAY, TIMEOUT, at_once

N = 20
WANTED_GAIN = 5


def test_concurrent_requests_wait_together(app: Running, record_property) -> None:
    """answers 20 concurrent requests at least 5 times faster than one after another

    Look at: product() in app.py: is anything in it waiting without `await`?
    """
    fetch(app, "GET", "/products/warm-up", timeout=TIMEOUT)
    elapsed = at_once(app, "/products/kettle", N)
    one_by_one = N * DELAY
    gain = one_by_one / elapsed
    record_property("measured", f"{N} requests at once took {elapsed:.2f} s; one after another would take "
                                f"{one_by_one:.1f} s: {gain:.1f}x")
    assert gain >= WANTED_GAIN, (
        f"{N} concurrent requests took {elapsed:.1f} s, a gain of {gain:.1f}x over one after another "
        f"({one_by_one:.1f} s); want at least {WANTED_GAIN}x")
