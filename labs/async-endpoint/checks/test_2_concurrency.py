"""Concurrency: the event loop serves other requests while one waits for the stock service."""

from __future__ import annotations

from onthewire.labs.kit import fetch
from onthewire.serving import Running
from stock import TIMEOUT, at_once

N = 20


def test_concurrent_requests_wait_together(app: Running, upstream, record_property) -> None:
    """has all 20 of 20 concurrent requests waiting for the stock service at the same time

    Look at: product() in app.py: is anything in it waiting without `await`?
    """
    _, service = upstream
    fetch(app, "GET", "/products/warm-up", timeout=TIMEOUT)
    # The stock service answers none of them until all 20 wait (or none has come for a while):
    # a count, however slow the machine, instead of a ratio of two elapsed times.
    service.hold(N)
    at_once(app, "/products/kettle", N)
    record_property("measured", f"{service.peak} of {N} requests waited for the stock service at once")
    assert service.peak >= N, (
        f"of {N} requests sent at once, at most {service.peak} waited for the stock service at the same time; "
        f"while one waited, the app sent no other: its event loop was blocked")
