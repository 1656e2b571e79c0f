"""websocket: one call of the app for the whole connection, messages both ways."""

from __future__ import annotations

import io

from snippets.asgi.websocket import talk


def test_one_connection_many_messages() -> None:
    trace = io.StringIO()
    assert talk(["hi", "there"], trace) == ["HI", "THERE"]
    events = [" ".join(line.split()[1:3]) for line in trace.getvalue().splitlines()]
    assert events == ["scope websocket", "receive websocket.connect", "send websocket.accept",
                      "receive websocket.receive", "send websocket.send",
                      "receive websocket.receive", "send websocket.send",
                      "receive websocket.disconnect", "app returned"]
    assert "code=1000" in trace.getvalue()
