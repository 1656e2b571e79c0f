"""Text and closing: UTF-8 checked fragment by fragment (1007), Close frames parsed and answered."""

from __future__ import annotations

from types import ModuleType

from onthewire.labs.kit import deadline, fail
from websockets.protocol import Protocol, Side
from ws_checks import CLOSE, CONTINUATION, TEXT, protocol_error, raw_frame, websockets_reads, wsproto_reads
from wsproto.frame_protocol import FrameProtocol, ParseFailed


def receive(conn: object, data: bytes) -> list[object]:
    with deadline(5, "Connection.receive()"):
        return conn.receive(data)  # type: ignore[attr-defined, no-any-return]


def test_character_split_between_fragments(frames: ModuleType) -> None:
    """decodes a text message whose characters are split between fragments

    Look at: Connection._data(): decode with codecs.getincrementaldecoder("utf-8"), which keeps an unfinished character for the next fragment
    """
    text = "€uro, ünïcödé, 🎉"
    data = text.encode()
    for cut in range(1, len(data)):
        conn = frames.Connection("server")
        got = receive(conn, raw_frame(TEXT, data[:cut], fin=False)) + receive(conn, raw_frame(CONTINUATION, data[cut:]))
        assert got == [frames.Message(text)], f"the text split after byte {cut} of {len(data)} gave {got!r:.120}"


def test_invalid_utf8(frames: ModuleType) -> None:
    """fails with 1007 on a text message that isn't UTF-8: bad bytes, a cut-off character, a surrogate

    Look at: Connection._data() (RFC 6455 section 8.1); bytes.decode("utf-8") refuses all of these
    """
    cases = [(b"\xff", "a 0xFF byte"), (b"caf\xc3", "a text ending in half a character"),
             (b"\xc0\xaf", "an overlong encoding of /"), (b"\xed\xa0\x80", "a UTF-16 surrogate"),
             (b"\xf4\x90\x80\x80", "a code point above U+10FFFF")]
    for data, what in cases:
        protocol_error(frames, lambda: frames.Connection("server").receive(raw_frame(TEXT, data)), 1007, what)
    # A binary message may hold any bytes.
    got = receive(frames.Connection("server"), raw_frame(0x2, b"\xff\xc0"))
    assert got == [frames.Message(b"\xff\xc0")], "a BINARY message is not text: don't decode it"


def test_invalid_utf8_fails_fast(frames: ModuleType) -> None:
    """fails with 1007 on the first fragment that can't be UTF-8, before the message ends

    Look at: Connection._data(): decode each fragment as it arrives (final=False), not once the message is whole
    """
    conn = frames.Connection("server")
    receive(conn, raw_frame(TEXT, b"fine so far ", fin=False))
    protocol_error(frames, lambda: conn.receive(raw_frame(CONTINUATION, b"\xff", fin=False)), 1007,
                   "a fragment holding 0xFF, with more fragments to come")


CLOSE_PAYLOADS = [
    (b"", (1005, ""), "an empty payload"),
    (b"\x03\xe8", (1000, ""), "code 1000"),
    (b"\x03\xe9going away", (1001, "going away"), "code 1001 and a reason"),
    (b"\x0b\xb8", (3000, ""), "code 3000 (registered for libraries)"),
    (b"\x13\x87\xc3\xa9", (4999, "é"), "code 4999 and a UTF-8 reason"),
]
BAD_CLOSE_PAYLOADS = [
    (b"\x03", 1002, "a 1-byte payload"), (b"\x03\xe7", 1002, "code 999"), (b"\x03\xec", 1002, "code 1004 (reserved)"),
    (b"\x03\xed", 1002, "code 1005 (never sent)"), (b"\x03\xee", 1002, "code 1006 (never sent)"),
    (b"\x03\xf7", 1002, "code 1015 (never sent)"), (b"\x07\xd0", 1002, "code 2000 (unassigned)"),
    (b"\x13\x88", 1002, "code 5000"), (b"\x03\xe8\xff", 1007, "code 1000 and a reason that isn't UTF-8"),
]


def test_parse_close(frames: ModuleType) -> None:
    """parses a Close payload into (code, reason), and refuses codes no peer may send

    Look at: parse_close() (RFC 6455 sections 5.5.1, 7.1.5 and 7.4: which codes may appear on the wire)
    """
    for payload, want, what in CLOSE_PAYLOADS:
        with deadline(5, "parse_close()"):
            got = frames.parse_close(payload)
        assert tuple(got) == want, f"parse_close() of {what}: got {got!r}, want {want!r}"
    for payload, code, what in BAD_CLOSE_PAYLOADS:
        protocol_error(frames, lambda: frames.parse_close(payload), code, f"parse_close() of {what}")


def test_answers_close(frames: ModuleType) -> None:
    """answers a Close with a Close, which the websockets client accepts, then ignores what follows

    Look at: Connection._handle() (RFC 6455 section 5.5.1: "the endpoint MUST send a Close frame in response")
    """
    peer = Protocol(Side.CLIENT)
    peer.send_close(1001, "bye")
    conn = frames.Connection("server")
    got = receive(conn, b"".join(peer.data_to_send()) + raw_frame(TEXT, b"too late"))
    assert got == [frames.Close(1001, "bye")], f"a Close (1001, 'bye') then a TEXT frame gave {got!r:.120}"
    reply = conn.data_to_send()
    read = websockets_reads(reply, side=Side.CLIENT)
    assert [(op, payload[:2]) for op, payload, _ in read] == [(CLOSE, b"\x03\xe9")], \
        f"the answer to a Close with code 1001 was {read!r:.120}; want a Close frame, code 1001 echoed"
    peer.receive_data(reply)
    assert peer.close_rcvd is not None and peer.close_rcvd.code == 1001, "the websockets client didn't take the answer"
    assert receive(conn, raw_frame(TEXT, b"later still")) == [], "after a Close, receive() should ignore further frames"
    conn.send_close(1000)
    assert conn.data_to_send() == b"", "a Close was already sent: send_close() should not send another"
    conn = frames.Connection("server")
    assert receive(conn, raw_frame(CLOSE, b"")) == [frames.Close(1005, "")], "an empty Close should give Close(1005, '')"
    read = wsproto_reads(conn.data_to_send(), client=True)
    assert read == [(CLOSE, b"", True)], f"the answer to an empty Close was {read!r}; want an empty Close (1005 is never sent)"


def test_sends_close(frames: ModuleType) -> None:
    """sends a Close frame with a code and a UTF-8 reason that wsproto parses

    Look at: Connection.send_close()
    """
    conn = frames.Connection("client")
    conn.send_close(4000, "fin de la séance")
    w = FrameProtocol(client=False, extensions=[])
    w.receive_bytes(conn.data_to_send())
    try:
        read = [(f.opcode, f.payload) for f in w.received_frames()]
    except ParseFailed as error:
        fail(f"wsproto, reading as a server, refused the Close frame: {error}")
    assert read == [(CLOSE, (4000, "fin de la séance"))], f"wsproto read {read!r}, want a Close (4000, 'fin de la séance')"
