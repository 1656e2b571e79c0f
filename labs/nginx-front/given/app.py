"""The app behind nginx: it says what uvicorn put in its scope about the request, as JSON.

    GET /    {"http_version": ..., "scheme": ..., "client": ..., "host": ..., "x_forwarded_...": ...}
    /ws      a WebSocket: first {"scheme": ..., "client": ...}, then every text message echoed

Behind a proxy, each of these is either the proxy's (the connection uvicorn sees) or the
client's (what the proxy forwarded, and uvicorn trusted). You don't need to change this file.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket


async def whoami(request: Request) -> JSONResponse:
    return JSONResponse({
        "http_version": request.scope["http_version"],  # of the last hop: nginx to uvicorn
        "scheme": request.url.scheme,
        "client": request.client.host if request.client else None,
        "host": request.headers.get("host"),
        # As they arrived, whether uvicorn believed them or not:
        "x_forwarded_proto": request.headers.get("x-forwarded-proto"),
        "x_forwarded_for": request.headers.get("x-forwarded-for"),
    })


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    client = websocket.client.host if websocket.client else None
    await websocket.send_json({"scheme": websocket.url.scheme, "client": client})
    async for text in websocket.iter_text():
        await websocket.send_text(text)


app = Starlette(routes=[Route("/", whoami), WebSocketRoute("/ws", echo)])
