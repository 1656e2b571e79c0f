"""The app every server in this module serves: it answers with the HTTP version in its scope,
which is what the app can know about the protocol the client spoke. `/slow` waits first
(the multiplexing notebook asks for it thirty times).

Run it:  hypercorn app:app   (from this folder), then  curl -k --http2 https://...
"""

from __future__ import annotations

import asyncio


# --8<-- [start:app]
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    if scope["path"] == "/slow":
        await asyncio.sleep(0.5)                   # an upstream that takes its time
    body = f"http_version {scope['http_version']}\n".encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
# --8<-- [end:app]


if __name__ == "__main__":
    from snippets.asgi.by_hand import call, make_scope

    for version in ("1.1", "2"):
        for direction, message in asyncio.run(call(app, make_scope() | {"http_version": version}, body=[])):
            if direction == "send" and message["type"] == "http.response.body":
                print(message["body"].decode(), end="")
