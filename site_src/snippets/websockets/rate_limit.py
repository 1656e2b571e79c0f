"""A per-connection rate limit: a token bucket that allows a burst of 5 messages and then one
every 2 seconds; past that the app closes the connection with 1008 (policy violation).

uvicorn limits the size of a message (--ws-max-size), never how many come: that is the
app's job. Closing is one answer; dropping the extra messages, or answering with an error
message and keeping the connection, are others.

Run it:  python rate_limit.py
Try:     make the client pause 2.5 s after its fifth message. How many get through?
"""

from __future__ import annotations

import time
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from onthewire.serving import serving_asgi


# --8<-- [start:bucket]
class TokenBucket:
    """`burst` tokens to start with, `rate` more per second, never more than `burst`."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.updated = float(burst), clock()

    def take(self) -> bool:
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
# --8<-- [end:bucket]


# --8<-- [start:endpoint]
async def chat(websocket: WebSocket) -> None:
    await websocket.accept()
    bucket = TokenBucket(rate=0.5, burst=5)
    async for text in websocket.iter_text():
        if not bucket.take():
            await websocket.close(code=1008, reason="too many messages")
            return
        await websocket.send_text(text)
# --8<-- [end:endpoint]


app = Starlette(routes=[WebSocketRoute("/chat", chat)])


def flood(url: str, messages: int = 20) -> tuple[int, int | None, str]:
    """Send `messages` at once, then read: (echoes received, close code, reason)."""
    echoes = 0
    with connect(url.replace("http://", "ws://") + "/chat") as websocket:
        try:
            for n in range(messages):
                websocket.send(f"message {n}")
        except ConnectionClosed:
            pass  # the server closed while we were still sending: read what came before
        try:
            while True:
                websocket.recv(timeout=5)
                echoes += 1
        except ConnectionClosed as closed:
            return echoes, closed.rcvd.code if closed.rcvd else None, closed.rcvd.reason if closed.rcvd else ""
    raise AssertionError("the server never closed")


if __name__ == "__main__":
    with serving_asgi(app) as url:
        echoes, code, reason = flood(url)
    print(f"sent 20 messages at once: {echoes} echoed, then closed with {code} ({reason})")
