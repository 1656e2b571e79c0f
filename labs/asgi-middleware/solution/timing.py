"""Server-Timing for any ASGI app: pure ASGI middleware, no framework.

`ServerTiming(app)` is itself an ASGI app. It calls `app` with the scope and `receive` it was
given, and hands it a `send` of its own that adds one header to the response's head:

    server-timing: app;dur=47.2

`dur` is the time in milliseconds from the moment the middleware was called to the moment the
app sent `http.response.start` (W3C Server Timing: https://www.w3.org/TR/server-timing/).
Everything else passes through as the app sent it: the app's own headers (a Server-Timing of
its own included), each piece of a streamed body as it comes, WebSocket and lifespan traffic,
and any exception the app raises.

README.md gives the steps; `wire check asgi-middleware` checks them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


# RFC 9110 §5.6.2: a token, the only form a metric name may take.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# RFC 9110 §5.5: new fields should use visible US-ASCII, space and tab only. CR and LF above
# all: a description carrying them could end the header and start another one.
_FIELD_TEXT = re.compile(r"[\t\x20-\x7e]*")


class ServerTiming:
    """Wrap an ASGI app: `app = ServerTiming(app)`, or `Middleware(ServerTiming)` in Starlette."""

    def __init__(self, app: ASGIApp, *, metric: str = "app", description: str | None = None) -> None:
        # Refused here, once, when the app is built: not on every request, after the app ran.
        if not _TOKEN.fullmatch(metric):
            raise ValueError(f"a Server-Timing metric name must be an HTTP token (letters, digits, "
                             f"and !#$%&'*+-.^_`|~), not {metric!r}")
        self.app = app
        self._prefix = metric
        if description is not None:
            if not _FIELD_TEXT.fullmatch(description):
                raise ValueError(f"a Server-Timing description must be printable ASCII, not {description!r}")
            # Always a quoted-string (a token would do for some), with a backslash before each
            # double quote and each backslash in it (RFC 9110 §5.6.4).
            quoted = description.replace("\\", "\\\\").replace('"', '\\"')
            self._prefix += f';desc="{quoted}"'

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            # WebSocket, lifespan, and whatever a later version of ASGI adds: not ours to time.
            # The very same scope, receive and send, so that the middleware isn't there at all.
            await self.app(scope, receive, send)
            return

        # A local, not an attribute of self: one ServerTiming serves every request at once, and
        # an attribute would be overwritten by the next request while this one still runs.
        started = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                # The clock stops when the head is ready: the header has to leave with the head,
                # before any of the body, so this is the last moment it can measure.
                elapsed_ms = (time.perf_counter() - started) * 1000
                metric = (b"server-timing", f"{self._prefix};dur={elapsed_ms:.1f}".encode("ascii"))
                # A new message around a new list: the app may have sent its headers as a tuple
                # or used one list for every response, and its other keys (trailers) stay.
                # Its own Server-Timing stays too: a second field means the same as one field
                # with the two lists joined by a comma (RFC 9110 §5.3).
                message = {**message, "headers": [*message.get("headers", ()), metric]}
            # Every message goes on at once: each piece of a streamed body as the app makes it.
            await send(message)

        # No try/except: an exception from the app goes up to the server as it is. The server
        # turns it into a 500, or cuts a started response short, and logs it: that is its job.
        await self.app(scope, receive, send_with_timing)
