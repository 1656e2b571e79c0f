"""The examples of RFC 6455 §5.7, encoded by `wsframes.encode`, compared with the bytes the
RFC prints, and read back by wsproto, a WebSocket implementation nobody here wrote.

A frame a client sends is read by a server's parser (which insists on a mask), a frame a
server sends by a client's parser (which refuses one).

Run it:  python frame_anatomy.py
Try:     set RSV1 on one example (`rsv=4`) and feed it to wsproto again: what does a peer
         that negotiated no extension do with it?
"""

from __future__ import annotations

from dataclasses import dataclass

from wsproto.frame_protocol import FrameProtocol

from snippets.websockets import wsframes
from snippets.websockets.wsframes import Opcode

KEY = bytes.fromhex("37fa213d")


@dataclass
class Example:
    name: str
    frames: list[bytes]  # encoded by wsframes
    rfc: bytes  # the bytes RFC 6455 §5.7 gives (for the long ones: header only)
    from_client: bool


# --8<-- [start:examples]
EXAMPLES = [
    Example("unmasked text 'Hello' (server to client)",
            [wsframes.encode(Opcode.TEXT, b"Hello")],
            bytes.fromhex("81 05 48 65 6c 6c 6f"), from_client=False),
    Example("masked text 'Hello' (client to server)",
            [wsframes.encode(Opcode.TEXT, b"Hello", mask_key=KEY)],
            bytes.fromhex("81 85 37 fa 21 3d 7f 9f 4d 51 58"), from_client=True),
    Example("'Hello' in two fragments: 'Hel', then 'lo'",
            [wsframes.encode(Opcode.TEXT, b"Hel", fin=False),
             wsframes.encode(Opcode.CONTINUATION, b"lo")],
            bytes.fromhex("01 03 48 65 6c 80 02 6c 6f"), from_client=False),
    Example("unmasked ping 'Hello'",
            [wsframes.encode(Opcode.PING, b"Hello")],
            bytes.fromhex("89 05 48 65 6c 6c 6f"), from_client=False),
    Example("masked pong 'Hello' (the ping's answer, from a client)",
            [wsframes.encode(Opcode.PONG, b"Hello", mask_key=KEY)],
            bytes.fromhex("8a 85 37 fa 21 3d 7f 9f 4d 51 58"), from_client=True),
    Example("256 bytes of binary: length 126, then 16 bits",
            [wsframes.encode(Opcode.BINARY, bytes(256))],
            bytes.fromhex("82 7e 01 00"), from_client=False),
    Example("64 KiB of binary: length 127, then 64 bits",
            [wsframes.encode(Opcode.BINARY, bytes(65536))],
            bytes.fromhex("82 7f 00 00 00 00 00 01 00 00"), from_client=False),
]
# --8<-- [end:examples]


def matches_rfc(example: Example) -> bool:
    wire = b"".join(example.frames)
    return wire == example.rfc if len(wire) < 200 else wire.startswith(example.rfc)


def wsproto_reads(example: Example) -> list[tuple[str, bytes | str, bool]]:
    """(opcode, payload, ends the message) for each frame, as wsproto's parser sees them."""
    parser = FrameProtocol(client=not example.from_client, extensions=[])
    parser.receive_bytes(b"".join(example.frames))
    return [(f.opcode.name, f.payload, f.message_finished) for f in parser.received_frames()]


def header_size(payload_length: int, masked: bool) -> int:
    frame = wsframes.encode(Opcode.BINARY, bytes(payload_length), mask_key=KEY if masked else None)
    return len(frame) - payload_length


def main() -> None:
    for example in EXAMPLES:
        print(f"== {example.name}")
        for raw in example.frames:
            print(wsframes.annotate(raw))
        read = [(op, payload if len(payload) < 10 else f"<{len(payload)} bytes>", done) for op, payload, done in wsproto_reads(example)]
        print(f"the bytes RFC 6455 prints: {matches_rfc(example)}")
        print(f"wsproto reads: {read}")
        print()
    print("payload length -> header bytes (server's, unmasked / client's, masked)")
    for n in (0, 125, 126, 65535, 65536):
        print(f"{n:>14} -> {header_size(n, False):>2} / {header_size(n, True):>2}")


if __name__ == "__main__":
    main()
