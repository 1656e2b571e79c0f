"""failing_app:app fails in the ways an app can: before, while and instead of responding."""

from __future__ import annotations

from typing import Any

SECRET = "hunter2"  # in the exceptions' messages: it must reach the server's log, never the client


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        raise ValueError(f"failing_app serves HTTP only, not {scope['type']!r}")
    path = scope["path"]
    start = {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]}

    if path == "/raise":
        raise RuntimeError(f"the database password is {SECRET}")
    if path == "/raise-after-start":
        await send(start)
        raise RuntimeError(f"failed after http.response.start, password {SECRET}")
    if path == "/raise-mid-body":
        await send(start)
        await send({"type": "http.response.body", "body": b"partial ", "more_body": True})
        raise RuntimeError(f"failed in the middle of the body, password {SECRET}")
    if path == "/no-response":
        return
    if path == "/unfinished":
        await send(start)
        await send({"type": "http.response.body", "body": b"partial ", "more_body": True})
        return
    if path == "/str-headers":
        # The spec's headers are bytes; these are str: send() should raise, not pass them on.
        await send({"type": "http.response.start", "status": 200, "headers": [("content-type", "text/plain")]})
        await send({"type": "http.response.body", "body": b"str headers went through\n"})
        return
    if path == "/str-body":
        await send(start)
        await send({"type": "http.response.body", "body": "a str, not bytes"})
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"14")]})
    await send({"type": "http.response.body", "body": b"still serving\n"})
