"""HTTP/1.1 connections persist unless someone says close; uvicorn closes HTTP/1.0 connections
even when asked for keep-alive; an idle connection is closed after the keep-alive timeout."""

from __future__ import annotations

import pytest
import uvicorn

from onthewire.serving import serving_asgi
from snippets.http import keep_alive
from snippets.http.demo_app import app

EXPECTED = {
    "HTTP/1.1, no Connection field": ("-", "reused"),
    "HTTP/1.1, Connection: close": ("close", "closed"),
    "HTTP/1.0, no Connection field": ("close", "closed"),
    "HTTP/1.0, Connection: keep-alive": ("close", "closed"),
}


@pytest.mark.parametrize("parser", ["httptools", "h11"])
def test_who_closes_when(parser: str) -> None:
    with serving_asgi(app, http=parser, timeout_keep_alive=keep_alive.IDLE_TIMEOUT) as url:
        for name, request in keep_alive.CASES.items():
            field, after = EXPECTED[name]
            outcome = keep_alive.what_happens(url, request)
            assert outcome.startswith("200, "), (name, outcome)
            assert outcome.lower().split(", ", 1)[1].startswith(field if field == "-" else f"connection: {field}")
            assert outcome.endswith(f"then {after}"), (name, outcome)
        closed, waited = keep_alive.idle_close(url)
    # The server, not our socket's timeout, ended it, and not before the timer could have run
    # (a lower bound only: a busy machine makes the close late, never early).
    assert closed
    assert waited > keep_alive.IDLE_TIMEOUT / 2


def test_uvicorn_default_keep_alive_timeout_is_5_seconds() -> None:
    assert uvicorn.Config(app).timeout_keep_alive == 5
