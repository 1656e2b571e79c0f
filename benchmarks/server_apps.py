"""The apps every server in benchmarks/servers.py serves: the same two endpoints, WSGI and ASGI.

/       hello world: what the server itself costs per request
/slow   a 50 ms wait for an "upstream", as blocking sleep (WSGI) or awaited sleep (ASGI)
"""

from __future__ import annotations

import asyncio
import time

SLOW = 0.05
BODY = b"Hello, world!\n"
HEADERS = [(b"content-type", b"text/plain"), (b"content-length", str(len(BODY)).encode())]


def wsgi(environ: dict, start_response) -> list[bytes]:
    if environ["PATH_INFO"] == "/slow":
        time.sleep(SLOW)
    start_response("200 OK", [(k.decode(), v.decode()) for k, v in HEADERS])
    return [BODY]


async def asgi(scope: dict, receive, send) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["path"] == "/slow":
        await asyncio.sleep(SLOW)
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
