"""Lifespan: the app's startup and shutdown, and the state it shares with every request.

Before it accepts a connection, an ASGI server calls the app once more with a scope of type
"lifespan", and sends it lifespan.startup; the app sets up what requests will share and
answers lifespan.startup.complete. When the server stops, lifespan.shutdown, answered by
lifespan.shutdown.complete (ASGI lifespan spec). What the app puts in the lifespan scope's
`state` dict, the server copies into each request's scope["state"]: a shallow copy, so a key
a request adds stays in that request, while an object both share is the same object.
An app that answers lifespan.startup.failed is not served at all. Last, the same protocol
from Starlette, whose lifespan= takes an async context manager.

Run it:  python lifespan.py
Try:     raise an exception in the lifespan branch instead of answering: uvicorn (lifespan
         "auto") decides that the app has no lifespan support, and serves it anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import sys
from typing import TextIO

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from onthewire.serving import HOST, free_port, serving_asgi
from onthewire.trace import traced


# --8<-- [start:app]
async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                # What requests share: a connection pool, a client, settings...
                scope["state"]["greeting"] = "Hello"
                scope["state"]["counter"] = {"requests": 0}
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                # Close what startup opened, then say so.
                await send({"type": "lifespan.shutdown.complete"})
                return
    elif scope["type"] == "http":
        state = scope["state"]  # this request's copy
        state["counter"]["requests"] += 1  # the one dict every request shares
        earlier = state.get("note", "nothing")  # a key an earlier request added?
        state["note"] = f"request {state['counter']['requests']} was here"  # this copy only
        body = f"{state['greeting']}! Request {state['counter']['requests']}; earlier note: {earlier}.\n"
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": body.encode()})
# --8<-- [end:app]


# --8<-- [start:failing]
async def failing(scope, receive, send):
    if scope["type"] == "lifespan":
        message = await receive()  # lifespan.startup
        await send({"type": "lifespan.startup.failed", "message": "the database is unreachable"})
        return
    raise RuntimeError("never called: the server does not serve an app that failed to start")
# --8<-- [end:failing]


# --8<-- [start:starlette]
@contextlib.asynccontextmanager
async def lifespan(app):
    # before the yield: on lifespan.startup; after it: on lifespan.shutdown
    yield {"greeting": "Hello from the lifespan"}  # becomes the state


async def greet(request):
    return PlainTextResponse(request.state.greeting)  # this request's copy of the state

starlette_app = Starlette(routes=[Route("/{n}", greet)], lifespan=lifespan)
# --8<-- [end:starlette]


# --8<-- [start:cycle]
def cycle(app=app, out: TextIO = sys.stdout, requests: int = 2) -> list[str]:
    """Start the server (lifespan startup), send requests, stop it (shutdown)."""
    with serving_asgi(traced(app, out, stable=True, brief=True), lifespan="on") as url:
        answers = [httpx.get(f"{url}/{n}").text for n in range(1, requests + 1)]
    return answers
# --8<-- [end:cycle]


# --8<-- [start:failed]
def failed_startup() -> tuple[str, object]:
    """Run uvicorn with `failing`, in this thread; return (the trace, uvicorn's exit code)."""
    trace = io.StringIO()
    config = uvicorn.Config(traced(failing, trace, stable=True, brief=True), host=HOST, port=free_port(),
                            lifespan="on", log_level="critical")  # (its error line would go to stderr)
    try:
        asyncio.run(uvicorn.Server(config).serve())
        code = "none: it served"
    except SystemExit as e:  # uvicorn exits before it opens its socket
        code = e.code
    return trace.getvalue(), code
# --8<-- [end:failed]


if __name__ == "__main__":
    answers = cycle()
    for answer in answers:
        print(f"the client got: {answer!r}")
    print()
    trace, code = failed_startup()
    print(trace, end="")
    print(f"uvicorn exited with code {code}")
    print()
    answers = cycle(starlette_app, requests=1)
    print(f"the client got: {answers[0]!r}")
