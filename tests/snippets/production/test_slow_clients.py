"""slow_clients: a slow upload holds Gunicorn's only sync worker and a quick request waits;
with Nginx in front, buffering, the quick request is answered at once.

Orderings carry the claims: how much of the slow upload had been sent when the quick request
was answered. Time appears only as a lower bound."""

from __future__ import annotations

import pytest

from snippets.production.slow_clients import PIECES, SLOW_SECONDS, race, when_answered

pytestmark = pytest.mark.system("nginx")


def test_alone_the_quick_request_waits_for_the_slow_upload() -> None:
    waited, done, status = race("gunicorn alone")
    # The worker answers the quick GET only after the upload's last piece: every piece was
    # counted before it was sent, so this holds however busy the machine.
    assert done == 1.0
    assert waited > 0.5 * SLOW_SECONDS
    assert status == b"HTTP/1.1 200 OK"


def test_behind_buffering_nginx_the_quick_request_is_answered_at_once() -> None:
    _, done, status = race("nginx in front")
    assert done < 0.5  # answered while most of the upload was still to come
    assert status == b"HTTP/1.1 200 OK"


def test_when_answered() -> None:
    assert when_answered(1 / PIECES) == "answered at once"
    assert when_answered(1.0) == "waited for the slow client to finish"


def test_the_page_output(snippet_output) -> None:
    assert snippet_output("slow_clients.py").splitlines()[1:] == [
        "  gunicorn alone  the quick GET waited for the slow client to finish; the upload got HTTP/1.1 200 OK",
        "  nginx in front  the quick GET answered at once; the upload got HTTP/1.1 200 OK",
    ]

