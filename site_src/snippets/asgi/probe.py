"""An ASGI app that reports how it is being run: the scope's version keys, the event loop
that runs it, and its process. servers.py serves it with six servers.

Run it:  uvicorn probe:app      (from this folder), then open http://127.0.0.1:8000/
Try:     hypercorn probe:app --worker-class uvloop: which loop now?
"""

from __future__ import annotations

import asyncio
import json
import os


# --8<-- [start:app]
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    loop = type(asyncio.get_running_loop())
    report = {
        "asgi": scope["asgi"],                     # versions the server declares
        "http_version": scope["http_version"],
        "loop": f"{loop.__module__}.{loop.__qualname__}",  # the event loop running this coroutine
        "pid": os.getpid(),                        # the process running the app
        "extensions": sorted(scope.get("extensions") or {}),
    }
    body = json.dumps(report).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
# --8<-- [end:app]


if __name__ == "__main__":
    from snippets.asgi.by_hand import call, make_scope

    for direction, message in asyncio.run(call(app, make_scope(), body=[])):
        if direction == "send" and message["type"] == "http.response.body":
            report = json.loads(message["body"])
            print(f"called by hand: asgi={report['asgi']}, http_version={report['http_version']}")
