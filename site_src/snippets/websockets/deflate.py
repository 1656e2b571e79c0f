"""permessage-deflate (RFC 7692) with a real server: the client offers the extension in the
handshake, uvicorn accepts it with its own parameters, and from then on the server may
compress any message it sends, marking each compressed one with the RSV1 bit.

The client here sends its text uncompressed (RSV1 clear), which the extension allows, and
inflates what comes back itself: with zlib, after appending the 4 bytes 00 00 ff ff that
the sender removed (RFC 7692 §7.2.1-7.2.2).

Run it:  python deflate.py
Try:     send the handshake without the extension. What do the echoes weigh then?
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.websockets import wsframes
from snippets.websockets.echo_app import app
from snippets.websockets.wsframes import Opcode

KEY = "dGhlIHNhbXBsZSBub25jZQ=="
MASK_KEY = bytes.fromhex("37fa213d")
OFFER = ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")
MESSAGE = ('{"user": "ada", "text": "Hello, everyone!", "room": "general"}\n' * 16).encode()


@dataclass
class Echo:
    frame: wsframes.Frame
    inflated: bytes


def exchange(times: int = 2) -> tuple[str | None, list[Echo]]:
    """The extension the server agreed to, and the server's echo of MESSAGE, `times` times."""
    echoes = []
    with serving_asgi(app) as url, rawhttp.connect(url) as sock:
        reader = rawhttp.Reader(sock)
        sock.sendall(wsframes.handshake_request("chat.test", "/echo", KEY, [OFFER]))
        response = rawhttp.read_response(reader)
        agreed = response.header("sec-websocket-extensions")
        # --8<-- [start:inflate]
        bits = 15
        if agreed and "server_max_window_bits=" in agreed:
            bits = int(agreed.split("server_max_window_bits=")[1].split(";")[0])
        inflater = zlib.decompressobj(wbits=-bits)  # raw DEFLATE, no zlib header
        for _ in range(times):
            sock.sendall(wsframes.encode(Opcode.TEXT, MESSAGE, mask_key=MASK_KEY))
            frame = wsframes.read_frame(reader)
            compressed = frame.rsv & 0b100  # RSV1
            data = inflater.decompress(frame.payload + b"\x00\x00\xff\xff") if compressed else frame.payload
            echoes.append(Echo(frame, data))
        # --8<-- [end:inflate]
    return agreed, echoes


def main() -> None:
    agreed, echoes = exchange()
    print(f"offered:  {OFFER[1]}")
    print(f"accepted: {agreed}")
    print(f"message:  {len(MESSAGE)} bytes of text")
    for n, echo in enumerate(echoes, 1):
        print(f"echo {n}:   RSV1={echo.frame.rsv >> 2}, {len(echo.frame.raw)} bytes on the wire, "
              f"inflates to the message: {echo.inflated == MESSAGE}")


if __name__ == "__main__":
    main()
