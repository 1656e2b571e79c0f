"""What the checks share: the real peers (wsproto and websockets, both sans-IO like frames.py),
frames built by hand for what no polite peer sends. The kit (onthewire.labs.kit) gives the
rest: `deadline()`, so that a decoder stuck in a loop fails a check instead of hanging it, and
the failure messages (`shown(..., as_hex=True)` for bytes).

Your decoder never reads frames from your own encode_frame(): valid frames come from wsproto
and websockets, malformed ones from raw_frame() below. And what your code writes is read by
those two libraries, never by your decoder.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from types import ModuleType

from websockets.frames import Frame as WebsocketsFrame
from websockets.frames import Opcode as WebsocketsOpcode
from websockets.protocol import Protocol, Side
from wsproto.frame_protocol import FrameProtocol, ParseFailed

from onthewire.labs.kit import deadline, fail, shown

TEXT, BINARY, CONTINUATION, CLOSE, PING, PONG = 0x1, 0x2, 0x0, 0x8, 0x9, 0xA
NAMES = {0x0: "CONTINUATION", 0x1: "TEXT", 0x2: "BINARY", 0x8: "CLOSE", 0x9: "PING", 0xA: "PONG"}
KEY = bytes.fromhex("37fa213d")  # the masking key of RFC 6455's examples (section 5.7)


def described(found: list[tuple[int, bytes, bool]]) -> str:
    """Frames as (opcode, payload, fin), in a few words: 'TEXT[5 bytes], PING[0 bytes]'."""
    parts = [f"{NAMES.get(op, hex(op))}{'' if fin else '(fin=0)'}[{len(payload)} bytes]" for op, payload, fin in found]
    return ", ".join(parts) or "nothing"


# --- Frames by hand ----------------------------------------------------------------------------


def raw_frame(opcode: int, payload: bytes, *, fin: bool = True, rsv: int = 0, mask: bytes | None = KEY,
              length_form: int | None = None) -> bytes:
    """A frame built bit by bit, for frames real peers refuse to write.

    rsv: the RSV1-3 bits as a number 0-7; length_form: 7, 16 or 64 to force a length form.
    """
    first = (0x80 if fin else 0) | (rsv << 4) | opcode
    mask_bit = 0x80 if mask is not None else 0
    n = len(payload)
    form = length_form or (7 if n <= 125 else 16 if n <= 0xFFFF else 64)
    if form == 7:
        head = struct.pack("!BB", first, mask_bit | n)
    elif form == 16:
        head = struct.pack("!BBH", first, mask_bit | 126, n)
    else:
        head = struct.pack("!BBQ", first, mask_bit | 127, n)
    if mask is None:
        return head + payload
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def websockets_frame(opcode: int, payload: bytes, *, fin: bool = True, masked: bool) -> bytes:
    """A frame serialized by the websockets library (masked with a random key if `masked`)."""
    return WebsocketsFrame(WebsocketsOpcode(opcode), payload, fin).serialize(mask=masked)


# --- Reading with the real peers ---------------------------------------------------------------


def wsproto_reads(data: bytes, *, client: bool) -> list[tuple[int, bytes, bool]]:
    """The frames wsproto's FrameProtocol reads from `data`, as (opcode, payload bytes, fin).

    client=True reads as a client (frames must be unmasked), False as a server (masked).
    """
    protocol = FrameProtocol(client=client, extensions=[])
    protocol.receive_bytes(data)
    found = []
    in_message = False  # wsproto labels a continuation frame with its message's opcode: undo that
    try:
        for frame in protocol.received_frames():
            opcode = int(frame.opcode)
            if opcode in (TEXT, BINARY):
                opcode, in_message = CONTINUATION if in_message else opcode, not frame.message_finished
            payload = frame.payload
            if isinstance(payload, str):  # wsproto hands over text already decoded
                payload = payload.encode("utf-8")
            elif isinstance(payload, tuple):  # and a Close as (code, reason)
                code, reason = payload
                payload = b"" if code == 1005 else struct.pack("!H", code) + reason.encode("utf-8")
            found.append((opcode, bytes(payload), frame.message_finished))
    except ParseFailed as error:
        fail(f"wsproto, reading as a {'client' if client else 'server'}, refused your frames: {error} (they start {shown(data, 16, as_hex=True)})")
    return found


def websockets_reads(data: bytes, *, side: Side) -> list[tuple[int, bytes, bool]]:
    """The frames the websockets library's Protocol (on `side`) reads from `data`."""
    protocol = Protocol(side, max_size=None)
    protocol.receive_data(data)
    events = protocol.events_received()
    if protocol.parser_exc is not None:
        fail(f"websockets, reading as a {side.name.lower()}, refused your frames: {protocol.parser_exc} (they start {shown(data, 16, as_hex=True)})")
    return [(int(frame.opcode), bytes(frame.data), frame.fin) for frame in events]


# --- Calling your code (the harness bounds every check; deadline() bounds one call) -------------------------------------------------------------------------


def protocol_error(frames: ModuleType, action: Callable[[], object], code: int, what: str) -> None:
    """Check that `action` raises frames.ProtocolError with close_code `code`."""
    try:
        with deadline(5, what):
            result = action()
    except frames.ProtocolError as error:
        got = getattr(error, "close_code", None)
        assert got == code, f"{what}: ProtocolError with close code {got}, want {code}"
        return
    fail(f"{what}: no ProtocolError (want close code {code}); got {result!r:.120}")


def take_frames(decoder: object, data: bytes) -> list:
    """decoder.feed(data), then next_frame() until it returns None: the frames now complete."""
    decoder.feed(data)  # type: ignore[attr-defined]
    found = []
    while (frame := decoder.next_frame()) is not None:  # type: ignore[attr-defined]
        found.append(frame)
        if len(found) > len(data) + 1000:  # every frame takes 2 bytes at least
            fail("next_frame() keeps returning frames from bytes already used: remove a frame's bytes once it is returned")
    return found

