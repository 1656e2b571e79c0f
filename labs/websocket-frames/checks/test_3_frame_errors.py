"""Malformed frames: FrameDecoder refuses each with the close code RFC 6455 section 7.4.1 names.

No real peer writes these, so they are built bit by bit (ws_checks.raw_frame), masked as a
client's frames are, and fed to FrameDecoder("server").
"""

from __future__ import annotations

import struct
from types import ModuleType

from onthewire.labs.kit import deadline, fail
from ws_checks import BINARY, CLOSE, KEY, PING, PONG, TEXT, protocol_error, raw_frame, take_frames
from wsproto.frame_protocol import FrameProtocol, ParseFailed


def refused(frames: ModuleType, data: bytes, code: int, what: str, **options: int) -> None:
    protocol_error(frames, lambda: take_frames(frames.FrameDecoder("server", **options), data), code, what)


def test_reserved_bits(frames: ModuleType) -> None:
    """fails with 1002 when RSV1, RSV2 or RSV3 is set, since no extension was agreed

    Look at: FrameDecoder, the first byte (RFC 6455 section 5.2, "RSV1, RSV2, RSV3")
    """
    for bit, name in [(4, "RSV1"), (2, "RSV2"), (1, "RSV3")]:
        refused(frames, raw_frame(TEXT, b"hi", rsv=bit), 1002, f"a TEXT frame with {name} set")


def test_unknown_opcodes(frames: ModuleType) -> None:
    """fails with 1002 on the reserved opcodes 0x3-0x7 and 0xB-0xF

    Look at: FrameDecoder, the opcode (RFC 6455 section 5.2, "Opcode")
    """
    for opcode in [*range(0x3, 0x8), *range(0xB, 0x10)]:
        refused(frames, raw_frame(opcode, b""), 1002, f"a frame with opcode {opcode:#x}")


def test_control_frames(frames: ModuleType) -> None:
    """fails with 1002 on a control frame that is fragmented or longer than 125 bytes

    Look at: FrameDecoder (RFC 6455 section 5.5: "All control frames MUST have a payload length of 125 bytes or less and MUST NOT be fragmented")
    """
    refused(frames, raw_frame(PING, bytes(126)), 1002, "a Ping with 126 bytes of payload")
    refused(frames, raw_frame(CLOSE, b"\x03\xe8" + bytes(200)), 1002, "a Close with 202 bytes of payload")
    refused(frames, raw_frame(PONG, b"x", length_form=16), 1002, "a Pong using the 16-bit length form")
    refused(frames, raw_frame(PING, b"hi", fin=False), 1002, "a Ping with FIN clear")
    refused(frames, raw_frame(CLOSE, b"", fin=False), 1002, "a Close with FIN clear")


def test_non_minimal_lengths(frames: ModuleType) -> None:
    """fails with 1002 on a length not in its shortest form, or a 64-bit length with its top bit set

    Look at: FrameDecoder, the payload length (RFC 6455 section 5.2: "the minimal number of bytes MUST be used"; this lab refuses other forms, as wsproto does)
    """
    longer = [(5, 16, "5 bytes announced with the 16-bit form (126, 0x0005)"), (125, 16, "125 bytes announced with the 16-bit form"),
              (200, 64, "200 bytes announced with the 64-bit form"), (65535, 64, "65535 bytes announced with the 64-bit form")]
    for size, form, what in longer:
        data = raw_frame(BINARY, bytes(size), length_form=form)
        refused(frames, data, 1002, what)
        # The lab follows wsproto here (the README says so): hold wsproto to it.
        wsproto = FrameProtocol(client=False, extensions=[])
        wsproto.receive_bytes(data)
        try:
            list(wsproto.received_frames())
        except ParseFailed as error:
            assert error.code == 1002, f"wsproto refuses {what} with {error.code}, not 1002: the lab's README needs updating"
        else:
            fail(f"wsproto now accepts {what}: the lab's README needs updating")
    top_bit = bytes([0x82, 0xFF]) + struct.pack("!Q", 1 << 63) + KEY
    refused(frames, top_bit, 1002, "a 64-bit length with its most significant bit set", max_size=2**64)


def test_frame_too_big(frames: ModuleType) -> None:
    """fails with 1009 as soon as a header announces more than max_size, before any payload arrives

    Look at: FrameDecoder(max_size=...): compare the length with max_size once you know it, not once the payload is in
    """
    header_16 = bytes([0x82, 0xFE]) + struct.pack("!H", 2000) + KEY
    refused(frames, header_16, 1009, "the header of a 2000-byte frame, max_size=1000", max_size=1000)
    header_64 = bytes([0x82, 0xFF]) + struct.pack("!Q", 2**40) + KEY
    refused(frames, header_64, 1009, "the header of a 2**40-byte frame, with the default max_size")
    # At the limit is fine.
    decoder = frames.FrameDecoder("server", max_size=1000)
    with deadline(5, "FrameDecoder.next_frame()"):
        found = take_frames(decoder, raw_frame(BINARY, bytes(1000)))
    assert len(found) == 1 and len(found[0].payload) == 1000, \
        "a frame of exactly max_size bytes should decode: max_size is the largest payload allowed"


def test_header_in_pieces(frames: ModuleType) -> None:
    """refuses a bad header fed in pieces just as it refuses it whole, and waits, without error, for a good one

    Look at: FrameDecoder.next_frame(): until the header is complete, return None; decide as soon as the bytes you hold allow
    """
    bad = bytes([0x82, 0xFF]) + struct.pack("!Q", 2**40) + KEY
    decoder = frames.FrameDecoder("server")
    with deadline(5, "FrameDecoder.next_frame()"):
        for i in range(9):  # up to the last byte of the length
            got = take_frames(decoder, bad[i : i + 1])
            assert got == [], f"after {i + 1} bytes of a header, next_frame() returned {got[0]!r:.80}, want None"
    protocol_error(frames, lambda: take_frames(decoder, bad[9:]), 1009, "the last bytes of a 2**40-byte frame's header")
    good = raw_frame(BINARY, bytes(70000))
    decoder = frames.FrameDecoder("server")
    with deadline(5, "FrameDecoder.next_frame()"):
        got = take_frames(decoder, good[:14]) + take_frames(decoder, good[14:-1])
        assert got == [], f"with the last byte of a 70000-byte frame missing, next_frame() returned {got[0]!r:.60}, want None"
        got = take_frames(decoder, good[-1:])
    assert len(got) == 1 and bytes(got[0].payload) == bytes(70000), "the last byte should complete the 70000-byte frame"
