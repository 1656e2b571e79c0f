"""wire_trace: `wire trace` serves an app, traces it (bodies cut after 60 bytes), and stops on SIGTERM."""

from __future__ import annotations

from snippets.asgi.wire_trace import BODY, HERE, masked, wire_trace


def test_asgi() -> None:
    out = masked(wire_trace("by_hand:app"))
    assert out.startswith("Tracing by_hand:app (ASGI) under uvicorn on http://127.0.0.1:<port>.")
    assert f"body={BODY[:60]!r}... ({len(BODY)} bytes) more_body=False" in out
    assert "lifespan scope   lifespan" in out
    assert out.endswith("Stopped.\n")


def test_wsgi() -> None:
    out = masked(wire_trace("by_hand:app", "--wsgi", cwd=HERE.parent / "wsgi"))
    assert out.startswith("Tracing by_hand:app (WSGI) under wsgiref")
    assert "CONTENT_LENGTH       '200'" in out
    assert "item 1: b'Hello, ada!\\n'" in out
    assert out.endswith("Stopped.\n")
