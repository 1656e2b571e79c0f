"""disconnect: receive() returns http.disconnect once the client has left; uvicorn drops what
is sent afterwards without an error."""

from __future__ import annotations

import io

from snippets.asgi.disconnect import DEAF_TICKS, deaf_trace, listening, read_one_line_and_leave


def test_a_listening_app_hears_the_disconnect_and_stops_at_once() -> None:
    trace = io.StringIO()
    assert read_one_line_and_leave(listening, trace) == "tick 1"
    lines = trace.getvalue().splitlines()
    assert lines[-2:] == ["#1       receive http.disconnect", "#1       app     returned"]
    # One tick sent, no second: the disconnect came, and ended the loop, before the next tick
    # was due. A count, where a stopwatch would read the machine's load.
    assert sum("tick" in line and " send " in line for line in lines) == 1


def test_a_deaf_app_sends_into_the_void_without_an_error() -> None:
    lines = deaf_trace()
    bodies = [line for line in lines if "http.response.body" in line]
    assert len(bodies) == DEAF_TICKS + 1
    assert not any("raised" in line for line in lines)
    assert lines[-1] == "#1       app     returned"


def test_the_page_output(snippet_output) -> None:
    out = snippet_output("disconnect.py")
    assert "client   read    'tick 1', then closes the connection\n#1       receive http.disconnect" in out
    assert f"{DEAF_TICKS + 1} http.response.body messages in all, none refused" in out
