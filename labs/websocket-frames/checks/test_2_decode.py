"""Decoding: FrameDecoder reads what wsproto and websockets write, however the bytes arrive."""

from __future__ import annotations

from types import ModuleType

from onthewire.labs.kit import deadline
from websockets.protocol import Protocol, Side
from ws_checks import BINARY, CLOSE, CONTINUATION, PING, PONG, TEXT, described, protocol_error, raw_frame, take_frames, websockets_frame
from wsproto.frame_protocol import FrameProtocol

# (opcode, payload, fin) of what the peers send below: every length form, fragments, control frames.
EXPECTED = [
    (TEXT, b"hello", True), (BINARY, bytes(range(256)) * 4, True), (TEXT, "né".encode() * 40000, True),
    (BINARY, b"part one, ", False), (PING, b"ping!", True), (CONTINUATION, b"part two", True),
    (PONG, b"", True), (BINARY, b"", True), (CLOSE, b"\x03\xe9going", True),
]


def wsproto_writes(*, client: bool) -> bytes:
    """The frames of EXPECTED, serialized by wsproto (a client masks with a random key)."""
    w = FrameProtocol(client=client, extensions=[])
    return b"".join([
        w.send_data("hello"), w.send_data(bytes(range(256)) * 4), w.send_data("né" * 40000),
        w.send_data(b"part one, ", fin=False), w.ping(b"ping!"), w.send_data(b"part two", fin=True),
        w.pong(), w.send_data(b""), w.close(1001, "going"),
    ])


def websockets_writes(*, client: bool) -> bytes:
    """The frames of EXPECTED, serialized by the websockets library's sans-IO Protocol."""
    p = Protocol(Side.CLIENT if client else Side.SERVER)
    p.send_text(b"hello")
    p.send_binary(bytes(range(256)) * 4)
    p.send_text("né".encode() * 40000)
    p.send_binary(b"part one, ", fin=False)
    p.send_ping(b"ping!")
    p.send_continuation(b"part two", fin=True)
    p.send_pong(b"")
    p.send_binary(b"")
    p.send_close(1001, "going")
    return b"".join(p.data_to_send())


def decoded(frames: ModuleType, role: str, pieces: list[bytes]) -> list[tuple[int, bytes, bool]]:
    decoder = frames.FrameDecoder(role)
    found = []
    with deadline(10, "FrameDecoder.next_frame()"):
        for piece in pieces:
            found += take_frames(decoder, piece)
    return [(int(f.opcode), bytes(f.payload), bool(f.fin)) for f in found]


def compare(found: list[tuple[int, bytes, bool]], what: str) -> None:
    for i, (got, want) in enumerate(zip(found, EXPECTED)):
        assert got == want, (f"{what}: frame {i + 1} decoded as opcode {got[0]:#x}, {len(got[1])} bytes "
                             f"{got[1][:12]!r}, fin={got[2]}; want opcode {want[0]:#x}, {len(want[1])} bytes "
                             f"{want[1][:12]!r}, fin={want[2]}")
    assert len(found) == len(EXPECTED), f"{what}: decoded {len(found)} frames ({described(found)}), want {len(EXPECTED)}"


def test_one_frame(frames: ModuleType) -> None:
    """decodes one small frame fed whole, masked (from a client) and unmasked (from a server)

    Look at: FrameDecoder.next_frame(): the first two bytes, the masking key, and apply_mask()
    """
    for role, masked in [("server", True), ("client", False)]:
        data = websockets_frame(TEXT, b"Hello", masked=masked)
        found = decoded(frames, role, [data])
        assert found == [(TEXT, b"Hello", True)], \
            f'a {"masked" if masked else "unmasked"} "Hello" fed to FrameDecoder("{role}") gave {described(found)}: want one TEXT frame, b"Hello"'


def test_wsproto_frames(frames: ModuleType) -> None:
    """decodes a stream of frames from wsproto: all three length forms, fragments, control frames

    Look at: FrameDecoder.next_frame() (the 16- and 64-bit lengths: RFC 6455 section 5.2)
    """
    compare(decoded(frames, "server", [wsproto_writes(client=True)]), "wsproto client frames, read as a server")
    compare(decoded(frames, "client", [wsproto_writes(client=False)]), "wsproto server frames, read as a client")


def test_websockets_frames(frames: ModuleType) -> None:
    """decodes a stream of frames from the websockets library, in both roles

    Look at: FrameDecoder.next_frame()
    """
    compare(decoded(frames, "server", [websockets_writes(client=True)]), "websockets client frames, read as a server")
    compare(decoded(frames, "client", [websockets_writes(client=False)]), "websockets server frames, read as a client")


def test_byte_by_byte(frames: ModuleType) -> None:
    """decodes the same frames when they arrive one byte at a time, or split anywhere

    Look at: FrameDecoder.next_frame(): keep what you can't use yet, and return None until a whole frame is in
    """
    w = FrameProtocol(client=True, extensions=[])
    small = bytes(w.send_data("hello") + w.send_data(bytes(range(256)) * 4) + w.close(1000))
    want = [(TEXT, b"hello", True), (BINARY, bytes(range(256)) * 4, True), (CLOSE, b"\x03\xe8", True)]
    found = decoded(frames, "server", [bytes([b]) for b in small])
    assert found == want, f"fed a byte at a time: decoded {described(found)}, want TEXT, BINARY, CLOSE"
    for cut in range(1, len(small)):
        found = decoded(frames, "server", [small[:cut], small[cut:]])
        assert found == want, f"split after byte {cut}: decoded {described(found)}, want TEXT, BINARY, CLOSE"
    data = websockets_writes(client=False)
    compare(decoded(frames, "client", [data[i : i + 997] for i in range(0, len(data), 997)]),
            "websockets server frames fed 997 bytes at a time")


def test_mask_rule(frames: ModuleType) -> None:
    """fails with 1002 when a client's frame is unmasked, or a server's frame masked

    Look at: FrameDecoder (RFC 6455 section 5.1: a server MUST close on an unmasked frame, and so MUST a client on a masked one)
    """
    protocol_error(frames, lambda: take_frames(frames.FrameDecoder("server"), raw_frame(TEXT, b"hi", mask=None)), 1002,
                   'FrameDecoder("server") fed an unmasked frame')
    protocol_error(frames, lambda: take_frames(frames.FrameDecoder("client"), websockets_frame(TEXT, b"hi", masked=True)), 1002,
                   'FrameDecoder("client") fed a masked frame')
