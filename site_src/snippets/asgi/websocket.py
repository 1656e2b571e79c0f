"""A first look at the websocket scope: one connection, many messages, both ways.

WSGI has no way to keep talking after the response; ASGI does. A WebSocket connection is one
call of the app with a scope of type "websocket" that lasts as long as the connection: the
app accepts it, then receives and sends messages, in any order, until one side closes
(ASGI WebSocket spec: https://asgi.readthedocs.io/en/latest/specs/www.html#websocket).
The WebSockets module comes back to it in detail.

Run it:  python websocket.py
Try:     send three messages before closing; answer websocket.connect with websocket.close
         instead of accepting, and read what the client gets.
"""

from __future__ import annotations

import sys
from typing import TextIO

from websockets.sync.client import connect

from onthewire.serving import serving_asgi
from onthewire.trace import traced


# --8<-- [start:app]
async def shout(scope, receive, send):
    if scope["type"] != "websocket":
        return
    await receive()  # websocket.connect: the client asks to open
    await send({"type": "websocket.accept"})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        await send({"type": "websocket.send", "text": message["text"].upper()})
# --8<-- [end:app]


# --8<-- [start:client]
def talk(words: list[str], out: TextIO = sys.stdout) -> list[str]:
    """Open a WebSocket to `shout`, send each word and read the answer, then close."""
    answers = []
    with serving_asgi(traced(shout, out, stable=True, brief=True), lifespan="off") as url:
        with connect(url.replace("http://", "ws://") + "/shout") as websocket:
            for word in words:
                websocket.send(word)
                answers.append(websocket.recv(timeout=5))
    return answers
# --8<-- [end:client]


if __name__ == "__main__":
    answers = talk(["hello", "again"])
    print(f"the client got: {answers}")
