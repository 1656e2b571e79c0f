"""Backpressure, measured: an app sends 64 KiB messages as fast as `send()` lets it, to a
client that reads nothing. Does the server buffer without end, or does `send()` wait?

uvicorn's WebSocket protocol waits in `send()` while the transport's write buffer is over
its high-water mark (64 KiB by default, in asyncio and in uvloop); the kernel's socket
buffers hold the rest.
So a slow reader slows its sender down instead of filling the server's memory, and one
`await websocket.send(...)` can take as long as the client takes to read.

Run it:  python backpressure.py
Try:     send to two clients from one loop, one of them slow. What happens to the fast one?
         (Broadcasting to many sockets from one task has exactly this problem.)
"""

from __future__ import annotations

import time

from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.websockets import wsframes

KEY = "dGhlIHNhbXBsZSBub25jZQ=="
CHUNK = bytes(64 * 1024)
MiB = 1024 * 1024
SENT = [0]  # bytes the app has handed to send() and got control back from


# --8<-- [start:flood]
async def flood(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.send_bytes(CHUNK)  # returns when uvicorn took the bytes
            SENT[0] += len(CHUNK)
    except (WebSocketDisconnect, OSError):
        pass
# --8<-- [end:flood]


app = Starlette(routes=[WebSocketRoute("/flood", flood)])


def _settled(timeout: float = 10.0, quiet: float = 0.3) -> int:
    """SENT once it has not moved for `quiet` seconds (the sender is stuck in send())."""
    deadline = time.monotonic() + timeout
    last, since = SENT[0], time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.02)  # polling a counter; the quiet period is what is measured
        if SENT[0] != last:
            last, since = SENT[0], time.monotonic()
        elif time.monotonic() - since >= quiet:
            return last
    raise AssertionError("the sender never stopped: nothing held it back")


def measure(read_mib: int = 8) -> tuple[int, int]:
    """(bytes sent while the client read nothing, bytes more once it read `read_mib` MiB)."""
    SENT[0] = 0
    with serving_asgi(app) as url:
        with rawhttp.connect(url) as sock:
            reader = rawhttp.Reader(sock)
            sock.sendall(wsframes.handshake_request("chat.test", "/flood", KEY))
            assert rawhttp.read_response(reader).status == 101
            stalled = _settled()                     # the client reads nothing meanwhile
            read = 0
            while read < read_mib * MiB:             # now it reads
                read += len(wsframes.read_frame(reader).payload)
            resumed = _settled() - stalled
    return stalled, resumed


if __name__ == "__main__":
    stalled, resumed = measure()
    print(f"the client reads nothing: send() stops returning after less than 16 MiB: {stalled < 16 * MiB}")
    # Of the 8 MiB the client read, at most `stalled` had been sent before: the rest was sent
    # by send() calls that returned once the client had made room.
    print(f"the client reads 8 MiB: send() returns again, the app sends more: {resumed >= 8 * MiB - stalled}")
