"""Fuzzing: random, truncated and corrupted bytes get events or a ProtocolError, never anything else.

Whatever a peer sends, a decoder must answer with frames, with "wait for more", or with a
ProtocolError naming the close code: an IndexError or a loop that never ends is a bug a peer
can trigger on purpose. The random cases come from a fixed seed, so a failure repeats.
"""

from __future__ import annotations

import random
from types import ModuleType

from onthewire.labs.kit import TookTooLong, deadline, fail, shown
from websockets.protocol import Protocol, Side
from ws_checks import BINARY, CLOSE, PING, TEXT, raw_frame
from wsproto.frame_protocol import FrameProtocol

SEED = 6455
MAX_SIZE = 4096  # small, so that random lengths often cross it


def outcome(frames: ModuleType, role: str, pieces: list[bytes]) -> tuple[list[object], int | None]:
    """(events, close code of the ProtocolError or None) from feeding `pieces` to a Connection."""
    conn = frames.Connection(role, max_size=MAX_SIZE)
    events: list[object] = []
    try:
        for piece in pieces:
            events += conn.receive(piece)
    except frames.ProtocolError as error:
        return events, error.close_code
    except TookTooLong:
        raise
    except Exception as error:
        data = b"".join(pieces)
        fail(f"Connection({role!r}).receive() raised {type(error).__name__}: {error} on {shown(data, as_hex=True)}; "
             f"receive() may raise ProtocolError and nothing else")
    return events, None


def valid_stream(rng: random.Random, client: bool) -> bytes:
    """A few frames from wsproto: text, binary, fragments, control frames, then a Close."""
    w = FrameProtocol(client=client, extensions=[])
    parts = []
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(["text", "binary", "fragments", "ping"])
        if kind == "text":
            parts.append(w.send_data("héllo " * rng.randint(0, 30)))
        elif kind == "binary":
            parts.append(w.send_data(rng.randbytes(rng.choice([0, 5, 125, 126, 300, 2000]))))
        elif kind == "fragments":
            parts += [w.send_data("ab€", fin=False), w.ping(b"x"), w.send_data("cd", fin=True)]
        else:
            parts.append(w.ping(rng.randbytes(rng.randint(0, 125))))
    parts.append(w.close(1000, "done"))
    return b"".join(bytes(p) for p in parts)


def test_random_bytes(frames: ModuleType) -> None:
    """gets events or a ProtocolError from random bytes, and never hangs

    Look at: the place in frames.py the failure names; every index into the buffer must be checked against its length first
    """
    rng = random.Random(SEED)
    with deadline(10, "Connection.receive() on random bytes"):
        for _ in range(1500):
            data = rng.randbytes(rng.randint(0, 40))
            role = rng.choice(["server", "client"])
            outcome(frames, role, [data])
            # Frames with a plausible start: a known opcode and the right MASK bit, then noise.
            first = rng.choice([0x81, 0x82, 0x01, 0x00, 0x80, 0x88, 0x89, 0x8A])
            second = (0x80 if role == "server" else 0) | rng.randrange(128)
            outcome(frames, role, [bytes([first, second]) + data])


def test_truncated_frames(frames: ModuleType) -> None:
    """waits for more, without error, when valid frames stop at any byte

    Look at: FrameDecoder.feed(): a frame cut short is "not yet", never an error
    """
    rng = random.Random(SEED)
    with deadline(10, "Connection.receive() on truncated frames"):
        for _ in range(8):
            client = rng.choice([True, False])
            data = valid_stream(rng, client)
            role = "server" if client else "client"
            for cut in range(len(data)):
                events, code = outcome(frames, role, [data[:cut]])
                if code is not None:
                    fail(f"the first {cut} bytes of valid frames from wsproto raised ProtocolError({code}): "
                         f"a frame cut short should wait for its other bytes")


def test_pieces_decode_the_same(frames: ModuleType) -> None:
    """gives the same events and errors however the bytes are split, valid or corrupted

    Look at: FrameDecoder.feed() and Connection.receive(): nothing may depend on where one recv() ended
    """
    rng = random.Random(SEED)
    with deadline(10, "Connection.receive() on split input"):
        for i in range(150):
            client = rng.choice([True, False])
            data = bytearray(valid_stream(rng, client))
            if i % 2:  # flip one bit
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
            role = "server" if client else "client"
            whole = outcome(frames, role, [bytes(data)])
            cuts = sorted(rng.sample(range(1, len(data)), min(len(data) - 1, rng.randint(1, 6))))
            pieces = [bytes(data[a:b]) for a, b in zip([0, *cuts], [*cuts, len(data)])]
            split = outcome(frames, role, pieces)
            if not _same(whole, split):
                fail(f"fed whole, {shown(bytes(data), 24, as_hex=True)} gave {_said(whole)}; in {len(pieces)} pieces, {_said(split)}")
            if i % 7 == 0:
                one_by_one = outcome(frames, role, [bytes([b]) for b in data])
                if not _same(whole, one_by_one):
                    fail(f"fed whole, {shown(bytes(data), 24, as_hex=True)} gave {_said(whole)}; a byte at a time, {_said(one_by_one)}")


def _same(a: tuple[list[object], int | None], b: tuple[list[object], int | None]) -> bool:
    # Events completed in the call that raises are lost with it (the connection is failing),
    # so after an error only the close code must agree.
    return a[1] == b[1] if a[1] is not None or b[1] is not None else a[0] == b[0]


def _said(result: tuple[list[object], int | None]) -> str:
    events, code = result
    names = ", ".join(type(e).__name__ for e in events) or "no events"
    return names + (f" then ProtocolError({code})" if code is not None else "")


def test_corrupted_frames(frames: ModuleType) -> None:
    """gets events or a ProtocolError from frames with flipped bits, bytes cut out, or junk inserted

    Look at: the place in frames.py the failure names
    """
    rng = random.Random(SEED + 1)
    with deadline(10, "Connection.receive() on corrupted frames"):
        for _ in range(400):
            client = rng.choice([True, False])
            role = "server" if client else "client"
            p = Protocol(Side.CLIENT if client else Side.SERVER)
            p.send_text(("x" * rng.choice([3, 130, 5000])).encode())
            p.send_ping(b"ping")
            data = bytearray(b"".join(p.data_to_send()) + raw_frame(CLOSE, b"\x03\xe8", mask=b"abcd" if client else None))
            for _ in range(rng.randint(1, 3)):
                where = rng.randrange(len(data))
                action = rng.choice(["flip", "cut", "insert"])
                if action == "flip":
                    data[where] ^= 1 << rng.randrange(8)
                elif action == "cut":
                    del data[where : where + rng.randint(1, 4)]
                else:
                    data[where:where] = rng.randbytes(rng.randint(1, 4))
            outcome(frames, role, [bytes(data)])


def test_every_first_byte(frames: ModuleType) -> None:
    """gets a frame or a ProtocolError for each of the 256 first bytes, whatever follows

    Look at: FrameDecoder, the first byte: FIN, RSV1-3 and the opcode
    """
    with deadline(10, "Connection.receive() on every first byte"):
        for first in range(256):
            for payload in (b"", b"\x03\xe8", bytes(126)):
                frame = raw_frame(0, payload)
                outcome(frames, "server", [bytes([first]) + frame[1:]])
    assert outcome(frames, "server", [raw_frame(TEXT, b"ok") + raw_frame(BINARY, b"") + raw_frame(PING, b"")])[1] is None, \
        "plain TEXT, BINARY and PING frames should decode"
