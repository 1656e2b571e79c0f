"""Which close code a real server sends, and when: each case below opens a WebSocket to
uvicorn (running a Starlette app) from a raw socket, does one thing, and records the Close
frame that comes back, if any, and the close code the app was told about.

Status codes: RFC 6455 §7.4.1, and IANA's registry of them
(https://www.iana.org/assignments/websocket/websocket.xhtml#close-code-number).

Run it:  python close_codes.py
Try:     add a case that sends a Close frame with code 1005, which RFC 6455 says must never
         be sent. What does uvicorn answer?
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.endpoints import WebSocketEndpoint
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.websockets import wsframes
from snippets.websockets.wsframes import Opcode

KEY = "dGhlIHNhbXBsZSBub25jZQ=="
MASK_KEY = bytes.fromhex("37fa213d")
APP_SAW: list[int] = []  # the close code of each websocket.disconnect the app received


# --8<-- [start:app]
class TextEcho(WebSocketEndpoint):
    encoding = "text"  # Starlette closes with 1003 when a binary message comes

    async def on_receive(self, websocket: WebSocket, data: str) -> None:
        await websocket.send_text(data)

    async def on_disconnect(self, websocket: WebSocket, close_code: int) -> None:
        APP_SAW.append(close_code)


async def crash(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.receive_text()
    raise RuntimeError("a bug in the app")


app = Starlette(routes=[WebSocketRoute("/echo", TextEcho), WebSocketRoute("/crash", crash)])
# --8<-- [end:app]


def masked(opcode: int, payload: bytes) -> bytes:
    return wsframes.encode(opcode, payload, mask_key=MASK_KEY)


@dataclass
class Case:
    what: str
    path: str
    send: list[bytes]  # frames to send after the handshake
    server: dict[str, Any]  # uvicorn settings
    stop_server_first: bool = False


# --8<-- [start:cases]
CASES = [
    Case("client closes: done (1000)", "/echo",
         [masked(Opcode.CLOSE, wsframes.close_payload(1000))], {}),
    Case("client closes: going away (1001)", "/echo",
         [masked(Opcode.CLOSE, wsframes.close_payload(1001))], {}),
    Case("unmasked frame from the client", "/echo",
         [wsframes.encode(Opcode.TEXT, b"hi")], {}),
    Case("binary message, text-only endpoint", "/echo",
         [masked(Opcode.BINARY, b"\x00\x01")], {}),
    Case("text message that is not UTF-8", "/echo",
         [masked(Opcode.TEXT, b"caf\xe9")], {}),
    Case("2000-byte message, ws_max_size=1024", "/echo",
         [masked(Opcode.TEXT, b"x" * 2000)], {"ws_max_size": 1024}),
    Case("no pong within ws_ping_timeout", "/echo",
         [], {"ws_ping_interval": 0.2, "ws_ping_timeout": 0.2}),
    Case("the server shuts down", "/echo", [], {}, stop_server_first=True),
    Case("the app raises an exception", "/crash",
         [masked(Opcode.TEXT, b"hi")], {}),
]
# --8<-- [end:cases]


@dataclass
class Outcome:
    close_code: int | None  # None: the TCP connection ended without a Close frame
    reason: str
    app_saw: int | None

    def __str__(self) -> str:
        if self.close_code is None:
            return "none"
        reason = self.reason if len(self.reason) <= 22 else self.reason[:19] + "..."
        return f"{self.close_code}" + (f" {reason!r}" if reason else "")


def _close_frame(reader: rawhttp.Reader) -> wsframes.Frame | None:
    """The first Close frame that arrives (pings are skipped), or None if the server just
    closes the TCP connection."""
    while True:
        try:
            frame = wsframes.read_frame(reader)
        except rawhttp.ConnectionClosed:
            return None
        if frame.opcode == Opcode.CLOSE:
            return frame


def probe(case: Case) -> Outcome:
    APP_SAW.clear()
    settings = {"log_level": "critical"} | case.server  # the crash would be logged on stderr
    with contextlib.ExitStack() as server:
        url = server.enter_context(serving_asgi(app, **settings))
        with rawhttp.connect(url) as sock:
            reader = rawhttp.Reader(sock)
            sock.sendall(wsframes.handshake_request("chat.test", case.path, KEY))
            assert rawhttp.read_response(reader).status == 101
            for frame in case.send:
                sock.sendall(frame)
            if case.stop_server_first:
                server.close()  # stop uvicorn while the client is still connected
            frame = _close_frame(reader)
    return Outcome(frame.close_code if frame else None, frame.close_reason if frame else "",
                   APP_SAW[0] if APP_SAW else None)


def main() -> None:
    rows = [(case.what, str(outcome := probe(case)), "-" if outcome.app_saw is None else str(outcome.app_saw))
            for case in CASES]
    header = ("what happened", "Close frame sent", "app told")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())


if __name__ == "__main__":
    main()
