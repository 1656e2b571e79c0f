"""The module's echo server: a Starlette app with one WebSocket route, `/echo`, that sends
back every message it gets, text as text and bytes as bytes.

The handshake notebook, and most snippets of this module, talk to it through uvicorn:

    from onthewire.serving import serving_asgi
    from snippets.websockets.echo_app import app

    with serving_asgi(app) as url:  # ws:// + the same host and port
        ...

Run it:  uvicorn echo_app:app   (then: python -m websockets ws://127.0.0.1:8000/echo)
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket


# --8<-- [start:echo]
async def echo(websocket: WebSocket) -> None:
    await websocket.accept()                      # send the 101 response
    while True:
        message = await websocket.receive()       # one whole message, however many frames
        if message["type"] == "websocket.disconnect":
            return
        if message.get("text") is not None:
            await websocket.send_text(message["text"])
        else:
            await websocket.send_bytes(message["bytes"])


app = Starlette(routes=[WebSocketRoute("/echo", echo)])
# --8<-- [end:echo]
