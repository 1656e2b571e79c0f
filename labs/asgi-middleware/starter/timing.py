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
        # TODO (step 6): `ServerTiming(app, metric="render", description="Page")` works, and an
        # option the header can't carry (RFC 9110 §5.6.2, §5.5) is refused here, before any request.
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # TODO (step 4): only HTTP requests are timed; any other scope, even one no ASGI version
        # has yet, reaches the app exactly as the server gave it.
        # TODO (step 1): W3C Server Timing: the response's head says `app;dur=MILLISECONDS`, the
        # time from this call to the app's http.response.start, for this request alone.
        # TODO (step 2): ASGI HTTP spec, "Response Start": the client gets every header the app
        # sent, whatever iterable they came in, and the app's own objects stay as they were.
        await self.app(scope, receive, send)
