"""slow_clients: a slow upload holds Gunicorn's only sync worker and a quick request waits;
with Nginx in front, buffering, the quick request is answered at once."""

from __future__ import annotations

import pytest

from snippets.production.slow_clients import SLOW_SECONDS, measure, verdict

pytestmark = pytest.mark.system("nginx")


def test_alone_the_quick_request_waits_for_the_slow_upload() -> None:
    waited, status = measure("gunicorn alone")
    assert waited > 0.5 * SLOW_SECONDS
    assert status == b"HTTP/1.1 200 OK"


def test_behind_buffering_nginx_the_quick_request_is_answered_at_once() -> None:
    waited, status = measure("nginx in front")
    assert waited < 0.2 * SLOW_SECONDS
    assert status == b"HTTP/1.1 200 OK"


def test_verdict() -> None:
    assert verdict(0.01) == "answered at once"
    assert verdict(SLOW_SECONDS) == "waited for the slow client to finish"
