"""Ping and pong with a real server: uvicorn pings every client (every 20 s by default,
`--ws-ping-interval`) and closes the connection with 1011 when no pong comes back within
`--ws-ping-timeout`. Here both are shortened, and a raw-socket client plays both sides:
it answers the server's pings, and pings the server itself.

RFC 6455 §5.5.2-5.5.3: a Pong carries the payload of the Ping it answers; either side may
ping at any time, and control frames may come between the fragments of a message.

Run it:  python ping_pong.py
Try:     do not answer the second ping. How long until the Close frame, and with which code?
"""

from __future__ import annotations

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.websockets import wsframes
from snippets.websockets.echo_app import app
from snippets.websockets.wsframes import Opcode

KEY = "dGhlIHNhbXBsZSBub25jZQ=="
MASK_KEY = bytes.fromhex("37fa213d")
PINGS = 3


def masked(opcode: int, payload: bytes = b"") -> bytes:
    return wsframes.encode(opcode, payload, mask_key=MASK_KEY)


def play() -> list[str]:
    """What the client saw and did, one line per frame."""
    log = []
    with serving_asgi(app, ws_ping_interval=0.1, ws_ping_timeout=1.0) as url, rawhttp.connect(url) as sock:
        reader = rawhttp.Reader(sock)
        sock.sendall(wsframes.handshake_request("chat.test", "/echo", KEY))
        assert rawhttp.read_response(reader).status == 101
        # --8<-- [start:answer]
        for _ in range(PINGS):
            ping = wsframes.read_frame(reader)
            assert ping.opcode == Opcode.PING
            sock.sendall(masked(Opcode.PONG, ping.payload))  # the same payload back
            log.append(f"server: ping, {len(ping.payload)}-byte payload -> client: pong, same payload")
        # --8<-- [end:answer]
        sock.sendall(masked(Opcode.PING, b"still there?"))
        while (frame := wsframes.read_frame(reader)).opcode == Opcode.PING:  # the server's pings go on
            sock.sendall(masked(Opcode.PONG, frame.payload))
        log.append(f"client: ping b'still there?' -> server: {frame.kind}, {frame.payload!r}")
        sock.sendall(masked(Opcode.TEXT, b"Hello"))
        while (frame := wsframes.read_frame(reader)).opcode == Opcode.PING:
            sock.sendall(masked(Opcode.PONG, frame.payload))
        log.append(f"client: text b'Hello' -> server: {frame.kind}, {frame.payload!r}")
    return log


if __name__ == "__main__":
    print("\n".join(play()))
