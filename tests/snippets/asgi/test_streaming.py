"""streaming: each http.response.body with more_body=True reaches the client before the next
is sent; without a Content-Length, uvicorn frames the body as chunks."""

from __future__ import annotations

import io

from snippets.asgi.streaming import stream


def test_each_line_arrives_before_the_next_message_is_sent() -> None:
    trace = io.StringIO()
    headers, arrived, sent_at = stream(trace)
    assert [line for line, _ in arrived] == ["line 1", "line 2", "line 3"]
    assert len(sent_at) == 4  # three lines and the end
    for n, (_, when) in enumerate(arrived):
        assert when < sent_at[n + 1]
    assert headers["transfer-encoding"] == "chunked" and "content-length" not in headers
    bodies = [line for line in trace.getvalue().splitlines() if "http.response.body" in line]
    assert [b.endswith("more_body=True") for b in bodies] == [True, True, True, False]
