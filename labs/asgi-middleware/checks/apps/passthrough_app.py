"""Sees what the ServerTiming under check hands the app, for a WebSocket and for the lifespan.

The server calls `app`, which notes the scope, receive and send it got (in a context variable:
it follows the call into the app) and calls ServerTiming(inner). `inner` compares what it got
with what the server gave: the same objects, and the scope's contents unchanged. The lifespan's
findings go to the marker "lifespan"; a WebSocket's come back as its first message.
"""

from __future__ import annotations

import contextvars
import json
from typing import Any

from onthewire.labs.apps import markers

from timing import ServerTiming  # the code under check: its folder comes first on the import path

_given: contextvars.ContextVar[tuple[Any, dict, Any, Any]] = contextvars.ContextVar("given")


def _findings(scope: Any, receive: Any, send: Any) -> dict[str, bool]:
    original, contents, original_receive, original_send = _given.get()
    return {
        "the same scope": scope is original,
        "an unchanged scope": dict(scope) == contents,
        "the same receive": receive is original_receive,
        "the same send": send is original_send,
    }


async def inner(scope: dict[str, Any], receive: Any, send: Any) -> None:
    found = _findings(scope, receive, send)
    if scope["type"] == "lifespan":
        markers.write("lifespan", json.dumps(found))
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    elif scope["type"] == "websocket":
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": json.dumps(found)})
        while (await receive())["type"] != "websocket.disconnect":
            pass
    else:
        body = json.dumps(found).encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]})
        await send({"type": "http.response.body", "body": body})


_timed = ServerTiming(inner)


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    token = _given.set((scope, dict(scope), receive, send))
    try:
        await _timed(scope, receive, send)
    finally:
        _given.reset(token)
