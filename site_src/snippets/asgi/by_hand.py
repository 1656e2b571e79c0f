"""Call an ASGI application by hand: no server, no socket, one coroutine and two channels.

An ASGI 3 app is `async def app(scope, receive, send)` (ASGI spec, "Applications"). The
server calls it once per request with a `scope` (a dict describing the request), and the app
talks to the server through two awaitables: `receive()` hands it the next message from the
client (a piece of the body, or news that the client left), `send(message)` passes one
message of the response to the server. This file plays the server, with lists in place of
a socket.

Run it:  python by_hand.py
Try:     send the body in three pieces (body=[b"Ada", b" ", b"Lovelace"]); make the app
         send its body in two messages with more_body=True on the first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]


# --- The application ----------------------------------------------------------------------

# --8<-- [start:app]
async def app(scope: Scope, receive: Callable[[], Awaitable[Message]],
              send: Callable[[Message], Awaitable[None]]) -> None:
    """Reads the whole request body, then says hello and how many bytes it got."""
    if scope["type"] != "http":
        return  # lifespan, websocket: not handled by this app
    body = b""
    while True:  # the body can come in several messages
        message = await receive()
        if message["type"] == "http.disconnect":
            return  # the client has gone: nobody to answer
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    name = scope["path"].strip("/") or "world"
    text = f"Hello, {name}! You sent {len(body)} bytes.\n".encode()
    # Headers are (name, value) pairs of bytes, names in lower case.
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(text)).encode())]})
    await send({"type": "http.response.body", "body": text})  # more_body: False by default
# --8<-- [end:app]


# --- The server's side: a scope, and two channels ---------------------------------------------

# --8<-- [start:scope]
def make_scope(path: str = "/", method: str = "GET", headers: list[tuple[bytes, bytes]] = ()) -> Scope:
    """The scope a server would build for one HTTP request (ASGI HTTP spec, "Connection Scope")."""
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,                          # percent-decoded, as str
        "raw_path": path.encode(),             # as sent, as bytes
        "query_string": b"",                   # after the "?", bytes, not decoded
        "root_path": "",                       # where the app is mounted (WSGI's SCRIPT_NAME)
        "headers": [(b"host", b"example.org"), *headers],
        "client": ("203.0.113.7", 51000),
        "server": ("198.51.100.1", 80),
        "state": {},                           # a copy of what the lifespan put there
    }
# --8<-- [end:scope]


# --8<-- [start:call]
async def call(app: Callable, scope: Scope, body: list[bytes]) -> list[tuple[str, Message]]:
    """Do what a server does for one request; return the conversation, in order."""
    conversation: list[tuple[str, Message]] = []
    inbox = [{"type": "http.request", "body": piece, "more_body": n < len(body) - 1}
             for n, piece in enumerate(body or [b""])]

    async def receive() -> Message:
        # After the body, a real server's receive() waits until the client leaves.
        message = inbox.pop(0) if inbox else {"type": "http.disconnect"}
        conversation.append(("receive", message))
        return message

    async def send(message: Message) -> None:
        conversation.append(("send", message))  # a server would write bytes here

    await app(scope, receive, send)  # one call for the whole request
    return conversation
# --8<-- [end:call]


if __name__ == "__main__":
    # --8<-- [start:main]
    scope = make_scope("/ada", method="POST")
    for direction, message in asyncio.run(call(app, scope, body=[b"Hello", b" again"])):
        print(f"{direction:8} {message}")
    # --8<-- [end:main]
