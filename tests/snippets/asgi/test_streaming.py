"""streaming: each http.response.body with more_body=True reaches the client before the next
is sent; without a Content-Length, uvicorn frames the body as chunks."""

from __future__ import annotations

import io

from snippets.asgi.streaming import stream


def test_each_line_arrives_before_the_next_message_is_sent() -> None:
    trace = io.StringIO()
    headers, lines = stream(trace)
    assert lines == ["line 1", "line 2", "line 3"]
    events = trace.getvalue().splitlines()
    bodies = [i for i, e in enumerate(events) if "http.response.body" in e]
    reads = [i for i, e in enumerate(events) if e.startswith("client")]
    assert len(bodies) == 4 and len(reads) == 3  # three lines and the end
    # An ordering, not a stopwatch: the client read line n after the app sent it and before
    # the app sent line n + 1.
    assert all(bodies[n] < reads[n] < bodies[n + 1] for n in range(3))
    assert headers["transfer-encoding"] == "chunked" and "content-length" not in headers
    assert [events[i].endswith("more_body=True") for i in bodies] == [True, True, True, False]
