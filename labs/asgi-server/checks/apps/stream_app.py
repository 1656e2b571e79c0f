"""stream_app:app sends response bodies in pieces."""

from __future__ import annotations

import asyncio
from typing import Any

from onthewire.labs.apps import markers


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        raise ValueError(f"stream_app serves HTTP only, not {scope['type']!r}")
    path = scope["path"]

    if path == "/stream":
        # The second piece is only made once the check has seen the first (it creates "go").
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"first\n", "more_body": True})
        markers.write("first-sent", "yes")  # send() has returned: the piece must be on its way
        await markers.wait_for("go")
        await send({"type": "http.response.body", "body": b"second\n"})

    elif path == "/unknown-length":
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        for piece in [b"one ", b"two ", b"three"]:
            await send({"type": "http.response.body", "body": piece, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    elif path == "/fixed":
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain"), (b"content-length", b"15")]})
        for piece in [b"12345", b"67890"]:
            await send({"type": "http.response.body", "body": piece, "more_body": True})
        await send({"type": "http.response.body", "body": b"abcde"})

    elif path == "/endless":
        # Streams until send() raises; the spec (2.4) says it raises an OSError once the client is gone.
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        for n in range(150):
            try:
                await send({"type": "http.response.body", "body": b"piece %d\n" % n + b"." * 1000, "more_body": True})
            except Exception as e:
                kind = "an OSError" if isinstance(e, OSError) else "not an OSError"
                markers.write("endless", f"send() raised {type(e).__name__} ({kind}) at piece {n}")
                raise
            if n == 0:
                markers.write("endless-first-sent", "yes")  # send() has returned: the piece must be on its way
            await asyncio.sleep(0.01)
        markers.write("endless", "send() accepted all 150 pieces")
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    else:
        await send({"type": "http.response.start", "status": 404, "headers": [(b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})
