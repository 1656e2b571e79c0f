"""WebSockets in Starlette: a function endpoint and a WebSocketEndpoint class, each in a
WebSocketRoute, driven by the `websockets` client library.

The function endpoint also negotiates a subprotocol: the client lists the ones it speaks
(Sec-WebSocket-Protocol), the app picks one from `scope["subprotocols"]` and names it in
`accept()`, and the server echoes it in the 101 response (RFC 6455 §1.9, §4.2.2).

Starlette's documentation: https://www.starlette.io/websockets/ and
https://www.starlette.io/endpoints/#websocketendpoint

Run it:  python starlette_endpoints.py
Try:     offer only "chat.v3". Should the app accept without a subprotocol, or refuse?
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.endpoints import WebSocketEndpoint
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket
from websockets.sync.client import connect

from onthewire.serving import serving_asgi

SPOKEN = ["chat.v1", "chat.v2"]  # the subprotocols this server speaks


# --8<-- [start:function]
async def room(websocket: WebSocket) -> None:
    offered = websocket.scope["subprotocols"]           # from Sec-WebSocket-Protocol
    chosen = next((p for p in offered if p in SPOKEN), None)
    await websocket.accept(subprotocol=chosen)
    name = websocket.path_params["name"]
    async for text in websocket.iter_text():            # ends when the client closes
        await websocket.send_text(f"[{name}, {chosen}] {text}")
# --8<-- [end:function]


# --8<-- [start:endpoint]
class Counter(WebSocketEndpoint):
    encoding = "json"  # each message is decoded before on_receive sees it

    async def on_connect(self, websocket: WebSocket) -> None:
        self.total = 0
        await websocket.accept()

    async def on_receive(self, websocket: WebSocket, data: Any) -> None:
        self.total += data["add"]
        await websocket.send_json({"total": self.total})

    async def on_disconnect(self, websocket: WebSocket, close_code: int) -> None:
        CLOSED_WITH.append(close_code)
# --8<-- [end:endpoint]


CLOSED_WITH: list[int] = []

# --8<-- [start:routes]
app = Starlette(routes=[
    WebSocketRoute("/rooms/{name}", room),
    WebSocketRoute("/counter", Counter),
])
# --8<-- [end:routes]


def chat(url: str, offer: list[str]) -> tuple[str | None, str]:
    """Connect to /rooms/general offering `offer`; (the subprotocol agreed, the reply)."""
    ws_url = url.replace("http://", "ws://") + "/rooms/general"
    with connect(ws_url, subprotocols=offer or None) as websocket:
        websocket.send("hello")
        return websocket.subprotocol, websocket.recv(timeout=5)


def count(url: str, numbers: list[int]) -> list[str]:
    with connect(url.replace("http://", "ws://") + "/counter") as websocket:
        replies = []
        for n in numbers:
            websocket.send(f'{{"add": {n}}}')
            replies.append(websocket.recv(timeout=5))
    return replies


def main() -> None:
    with serving_asgi(app) as url:
        for offer in (["chat.v2", "chat.v1"], ["chat.v3"], []):
            agreed, reply = chat(url, offer)
            print(f"offered {offer}: agreed {agreed!r}, reply {reply!r}")
        print(f"/counter replies: {count(url, [1, 2, 3])}")
    print(f"Counter.on_disconnect got close code {CLOSED_WITH[-1]}")


if __name__ == "__main__":
    main()
