"""Encoding: encode_frame() and apply_mask(), byte for byte, then read by wsproto and websockets."""

from __future__ import annotations

from types import ModuleType

from onthewire.labs.kit import fail, shown
from websockets.protocol import Side
from ws_checks import BINARY, CLOSE, CONTINUATION, KEY, PING, PONG, TEXT, websockets_reads, wsproto_reads

# RFC 6455 section 5.7, "Examples": (what, arguments, the frame on the wire).
RFC_EXAMPLES = [
    ('a single-frame unmasked text message "Hello"', (TEXT, b"Hello"), {}, "81 05 48 65 6c 6c 6f"),
    ('the first fragment "Hel" of a text message', (TEXT, b"Hel"), {"fin": False}, "01 03 48 65 6c"),
    ('the last fragment "lo"', (CONTINUATION, b"lo"), {}, "80 02 6c 6f"),
    ('an unmasked Ping "Hello"', (PING, b"Hello"), {}, "89 05 48 65 6c 6c 6f"),
    ("an empty Pong", (PONG, b""), {}, "8a 00"),
]


def test_unmasked_frames(frames: ModuleType) -> None:
    """encodes the unmasked examples of RFC 6455 section 5.7 byte for byte

    Look at: encode_frame(), the first byte (FIN, RSV1-3, opcode) and the second (MASK, payload length)
    """
    for what, args, options, wire in RFC_EXAMPLES:
        got = frames.encode_frame(*args, **options)
        assert isinstance(got, bytes), f"encode_frame() returned {type(got).__name__}, want bytes"
        want = bytes.fromhex(wire)
        assert got == want, f"{what}: got {shown(got, as_hex=True)}, want {shown(want, as_hex=True)}"


def test_masking(frames: ModuleType) -> None:
    """masks a payload with a 4-byte key as RFC 6455 section 5.3 says, and unmasks it the same way

    Look at: apply_mask() (byte i of the payload XOR byte i % 4 of the key), and the MASK bit and key in encode_frame()
    """
    masked = frames.apply_mask(b"Hello", KEY)
    assert masked == bytes.fromhex("7f9f4d5158"), f'apply_mask(b"Hello", {KEY.hex()}) gave {shown(masked, as_hex=True)}, want 7f 9f 4d 51 58'
    payload = bytes(range(256)) * 3
    assert frames.apply_mask(frames.apply_mask(payload, KEY), KEY) == payload, "masking twice should give the payload back"
    got = frames.encode_frame(TEXT, b"Hello", mask=KEY)
    want = bytes.fromhex("81 85 37 fa 21 3d 7f 9f 4d 51 58")
    assert got == want, f'a masked "Hello" (RFC 6455 section 5.7): got {shown(got, as_hex=True)}, want {shown(want, as_hex=True)}'


def test_length_forms(frames: ModuleType) -> None:
    """uses the shortest length form: 7 bits up to 125, then 126 + 16 bits up to 65535, then 127 + 64 bits

    Look at: encode_frame(), the payload length (RFC 6455 section 5.2, "Payload length"; integers are big-endian)
    """
    cases = [(0, "82 00"), (125, "82 7d"), (126, "82 7e 00 7e"), (256, "82 7e 01 00"), (65535, "82 7e ff ff"),
             (65536, "82 7f 00 00 00 00 00 01 00 00"), (70000, "82 7f 00 00 00 00 00 01 11 70")]
    for size, head in cases:
        payload = bytes(size)
        got = frames.encode_frame(BINARY, payload)
        want = bytes.fromhex(head)
        assert got[: len(want)] == want, f"a {size}-byte payload: header {shown(got[:len(want)], as_hex=True)}, want {shown(want, as_hex=True)}"
        assert got[len(want):] == payload, f"a {size}-byte payload: {len(got) - len(want)} bytes after the header, want {size}"
    masked = frames.encode_frame(BINARY, bytes(300), mask=KEY)
    assert masked[:8] == bytes.fromhex("82 fe 01 2c") + KEY, \
        f"a masked 300-byte frame starts {shown(masked[:8], as_hex=True)}, want 82 fe 01 2c then the key {KEY.hex()}"


# What a client sends (masked, read by a server) and what a server sends (unmasked).
def _sample(frames: ModuleType, mask: bytes | None) -> tuple[bytes, list[tuple[int, bytes, bool]]]:
    text = "Grüße, ".encode() * 20
    sent = [(TEXT, b"hi", True), (BINARY, bytes(range(256)) * 300, True), (TEXT, text, False),
            (PING, b"are you there?", True), (CONTINUATION, b"", False), (CONTINUATION, bytes(65535), True),
            (PONG, b"", True), (BINARY, bytes(125), True), (BINARY, bytes(126), True), (CLOSE, b"\x03\xe8bye", True)]
    data = b"".join(frames.encode_frame(op, payload, fin=fin, mask=mask) for op, payload, fin in sent)
    return data, sent


def test_wsproto_reads_them(frames: ModuleType) -> None:
    """writes frames that wsproto reads back the same: masked as a client, unmasked as a server

    Look at: encode_frame(); the failure names the frame wsproto refused or read differently
    """
    for mask, client in [(KEY, False), (None, True)]:
        data, sent = _sample(frames, mask)
        read = wsproto_reads(data, client=client)
        role = "masked, read as a server" if mask else "unmasked, read as a client"
        for i, ((op, payload, fin), got) in enumerate(zip(sent, read)):
            if got != (op, payload, fin):
                fail(f"{role}: frame {i + 1} was read as opcode {got[0]:#x}, {len(got[1])} bytes, fin={got[2]}; "
                     f"sent opcode {op:#x}, {len(payload)} bytes, fin={fin}")
        assert len(read) == len(sent), f"{role}: wsproto read {len(read)} frames, {len(sent)} were sent"


def test_websockets_reads_them(frames: ModuleType) -> None:
    """writes frames that the websockets library reads back the same, in both roles

    Look at: encode_frame(); the failure names the frame websockets refused or read differently
    """
    for mask, side in [(KEY, Side.SERVER), (None, Side.CLIENT)]:
        data, sent = _sample(frames, mask)
        read = websockets_reads(data, side=side)
        role = "masked, read as a server" if mask else "unmasked, read as a client"
        for i, ((op, payload, fin), got) in enumerate(zip(sent, read)):
            if got != (op, payload, fin):
                fail(f"{role}: frame {i + 1} was read as opcode {got[0]:#x}, {len(got[1])} bytes, fin={got[2]}; "
                     f"sent opcode {op:#x}, {len(payload)} bytes, fin={fin}")
        assert len(read) == len(sent), f"{role}: websockets read {len(read)} frames, {len(sent)} were sent"


def test_refuses_impossible_frames(frames: ModuleType) -> None:
    """refuses, with ValueError, to encode a frame no peer may receive

    Look at: encode_frame() (control frames: RFC 6455 section 5.5; opcodes: section 5.2; the key: section 5.3)
    """
    cases = [
        ("a Ping with 126 bytes of payload (control frames carry at most 125)", (PING, bytes(126)), {}),
        ("a fragmented Close (control frames can't be fragmented)", (CLOSE, b""), {"fin": False}),
        ("opcode 0x3 (reserved)", (0x3, b""), {}),
        ("opcode 0xB (reserved)", (0xB, b""), {}),
        ("a 3-byte masking key", (TEXT, b"x"), {"mask": b"abc"}),
    ]
    for what, args, options in cases:
        try:
            got = frames.encode_frame(*args, **options)
        except ValueError:
            continue
        fail(f"encode_frame() should raise ValueError for {what}; it returned {shown(got, as_hex=True)}")
