"""The app's life: lifespan_app:app starts up slowly, keeps state, serves slow requests and
writes each event to the marker "events"; `failing` can't start; `no_lifespan` has none."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from onthewire.labs.apps import markers


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        message = await receive()
        assert message["type"] == "lifespan.startup", message
        await asyncio.sleep(0.3)  # a slow startup (connecting to a database, say)
        scope["state"]["greeting"] = "hello from startup"
        markers.append("events", "startup complete")
        await send({"type": "lifespan.startup.complete"})
        message = await receive()
        assert message["type"] == "lifespan.shutdown", message
        markers.append("events", "shutdown")
        await send({"type": "lifespan.shutdown.complete"})
        return

    path = scope["path"]
    if path == "/state":
        # Reports the state this request got, then adds to it: the next request must not see that.
        state = scope.get("state")
        body = json.dumps({"state": None if state is None else {k: repr(v) for k, v in state.items()}}).encode()
        if state is not None:
            state["added by a request"] = True
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})
    elif path == "/slow":
        markers.append("events", "slow request started")
        await markers.wait_for("go")
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"finished\n"})
        markers.append("events", "slow request finished")
    elif path == "/forever":
        markers.append("events", "endless request started")
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            markers.append("events", "endless request cancelled")
            raise
    else:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"3")]})
        await send({"type": "http.response.body", "body": b"ok\n"})


async def failing(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        await receive()
        await send({"type": "lifespan.startup.failed", "message": "cannot reach the database at db.invalid:5432"})
        return
    raise AssertionError("failing:app got a request: the server served an app whose startup failed")


async def no_lifespan(scope: dict[str, Any], receive: Any, send: Any) -> None:
    # Main spec: "Applications should actively reject any protocol that they do not understand".
    if scope["type"] != "http":
        raise ValueError(f"no_lifespan serves HTTP only, not {scope['type']!r}")
    body = b"served without lifespan\n"
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"%d" % len(body))]})
    await send({"type": "http.response.body", "body": body})
