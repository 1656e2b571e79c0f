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

import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class ServerTiming:
    """Wrap an ASGI app: `app = ServerTiming(app)`, or `Middleware(ServerTiming)` in Starlette."""

    def __init__(self, app: ASGIApp) -> None:
        # TODO (step 6): take two keyword options, `metric` (the name in the header, "app" by
        # default) and `description` (none by default), and raise a ValueError for a name or
        # a description that the header cannot carry.
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # TODO (step 4): only HTTP requests are timed. Any other scope (websocket, lifespan,
        # or a type you have never heard of) goes to the app untouched: the same scope, the
        # same receive, the same send.
        # TODO (step 1): start the clock (time.perf_counter()), and give the app a send of
        # your own that adds the Server-Timing header to http.response.start and passes every
        # message on to the server's send as soon as it gets it.
        # TODO (step 2): keep every header the app sent, in any iterable it sent them in.
        await self.app(scope, receive, send)
