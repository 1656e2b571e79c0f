"""body_app:app reads request bodies and reports what its receive() returned."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

from onthewire.labs.apps import markers


async def respond(send: Any, body: bytes, status: int = 200) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        raise ValueError(f"body_app serves HTTP only, not {scope['type']!r}")
    path = scope["path"]

    if path == "/messages":
        # Every message receive() returned until the body ended, as [type, size, more_body].
        seen, digest = [], hashlib.sha256()
        while True:
            message = await receive()
            body = message.get("body", b"")
            seen.append([message["type"], len(body), message.get("more_body", False)])
            digest.update(body)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        await respond(send, json.dumps({"messages": seen, "sha256": digest.hexdigest()}).encode())

    elif path == "/interactive":
        # Answers the first piece of the body at once, before asking for the rest.
        first = await receive()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"got %d\n" % len(first.get("body", b"")), "more_body": True})
        total, message = len(first.get("body", b"")), first
        while message["type"] == "http.request" and message.get("more_body", False):
            message = await receive()
            total += len(message.get("body", b""))
        await send({"type": "http.response.body", "body": b"total %d\n" % total})

    elif path == "/long-poll":
        # Reads the body, then waits in receive() for whatever comes next: a long poll.
        while (await receive()).get("more_body", False):
            pass
        markers.write("long-poll.waiting", "yes")
        waiting = asyncio.ensure_future(receive())
        # The check closes its connection, then says "closed": by then the client's FIN is at the
        # server, and a server watching the socket has handed it on, or is about to. Half a second
        # more is plenty; a receive() that is not watching would wait for ever.
        await markers.wait_for("closed", timeout=30)
        done, _ = await asyncio.wait({waiting}, timeout=0.5)
        if not done:
            waiting.cancel()
        markers.write("long-poll.got", waiting.result()["type"] if done else "nothing within 0.5 s of the client closing")

    elif path == "/after-response":
        # Sends a complete response, then asks receive() for more.
        while (await receive()).get("more_body", False):
            pass
        await respond(send, b"done\n")
        # "At once": the server has nothing to wait for. Half a second is only a bound for a
        # receive() that waits for the client instead, which would never return here.
        try:
            message = await asyncio.wait_for(receive(), 0.5)
            markers.write("after-response.got", message["type"])
        except asyncio.TimeoutError:
            markers.write("after-response.got", "nothing within 0.5 s")

    elif path == "/stall":
        # The check's client stops sending in the middle of the body.
        types = []
        while True:
            message = await receive()
            types.append(message["type"])
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        markers.write("stall.got", " ".join(types))
        if types[-1] == "http.request":
            await respond(send, b"the whole body arrived\n")

    else:  # /length and the rest: the body's size
        size, message = 0, {"more_body": True}
        while message.get("more_body", False):
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            size += len(message.get("body", b""))
        await respond(send, b"%d bytes\n" % size)
