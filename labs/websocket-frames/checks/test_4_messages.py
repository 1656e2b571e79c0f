"""Messages: Connection reassembles fragments, answers pings, limits sizes, masks what a client sends."""

from __future__ import annotations

from types import ModuleType

from onthewire.labs.kit import deadline
from websockets.protocol import Protocol, Side
from ws_checks import BINARY, CONTINUATION, PING, PONG, TEXT, protocol_error, raw_frame, websockets_reads, wsproto_reads
from wsproto.frame_protocol import FrameProtocol


def events_of(conn: object, *pieces: bytes) -> list[object]:
    found: list[object] = []
    with deadline(10, "Connection.receive()"):
        for piece in pieces:
            got = conn.receive(piece)  # type: ignore[attr-defined]
            assert isinstance(got, list), f"receive() returned {type(got).__name__}, want a list of events"
            found += got
    return found


def test_whole_messages(frames: ModuleType) -> None:
    """turns unfragmented text and binary frames into Message events: str for text, bytes for binary

    Look at: Connection.receive() and Connection._data()
    """
    conn = frames.Connection("server")
    got = events_of(conn, raw_frame(TEXT, "héllo".encode()), raw_frame(BINARY, b"\x00\x01") + raw_frame(TEXT, b""))
    want = [frames.Message("héllo"), frames.Message(b"\x00\x01"), frames.Message("")]
    assert got == want, f"got {got!r:.200}, want {want!r}"


def test_fragmented_messages(frames: ModuleType) -> None:
    """reassembles a message sent in fragments by wsproto and by websockets

    Look at: Connection._data(): a TEXT or BINARY frame with FIN clear starts a message, CONTINUATION frames add to it, FIN ends it
    """
    w = FrameProtocol(client=True, extensions=[])
    data = w.send_data("one, ", fin=False) + w.send_data("two, ", fin=False) + w.send_data("three", fin=True)
    got = events_of(frames.Connection("server"), bytes(data))
    assert got == [frames.Message("one, two, three")], f"three TEXT fragments from wsproto gave {got!r:.200}"
    p = Protocol(Side.SERVER)
    p.send_binary(b"\x01" * 70000, fin=False)
    p.send_continuation(b"", fin=False)
    p.send_continuation(b"\x02" * 10, fin=True)
    got = events_of(frames.Connection("client"), *p.data_to_send())
    assert got == [frames.Message(b"\x01" * 70000 + b"\x02" * 10)], \
        f"three BINARY fragments from websockets (70000, 0 and 10 bytes) gave {[type(e).__name__ for e in got]}"


def test_control_frames_between_fragments(frames: ModuleType) -> None:
    """handles a Ping and a Pong that arrive between the fragments of a message, in order

    Look at: Connection._handle(): control frames may be "injected in the middle of a fragmented message" (RFC 6455 section 5.4)
    """
    p = Protocol(Side.CLIENT)
    p.send_text(b"Hel", fin=False)
    p.send_ping(b"1")
    p.send_pong(b"2")
    p.send_continuation(b"lo", fin=True)
    got = events_of(frames.Connection("server"), b"".join(p.data_to_send()))
    want = [frames.Ping(b"1"), frames.Pong(b"2"), frames.Message("Hello")]
    assert got == want, f"TEXT(fin=0), PING, PONG, CONTINUATION gave {got!r:.200}, want {want!r}"


def test_answers_pings(frames: ModuleType) -> None:
    """answers each Ping with a Pong carrying the same payload, which wsproto and websockets read

    Look at: Connection._handle() and data_to_send() (RFC 6455 section 5.5.3: "identical Application data")
    """
    w = FrameProtocol(client=True, extensions=[])
    conn = frames.Connection("server")
    got = events_of(conn, bytes(w.ping(b"are you there?") + w.pong(b"unasked")))
    assert got == [frames.Ping(b"are you there?"), frames.Pong(b"unasked")], f"a Ping and a Pong gave {got!r:.200}"
    reply = conn.data_to_send()
    assert isinstance(reply, bytes), f"data_to_send() returned {type(reply).__name__}, want bytes"
    read = wsproto_reads(reply, client=True)
    assert read == [(PONG, b"are you there?", True)], \
        f"after a Ping and an unasked Pong, wsproto read {read} from data_to_send(); want one Pong with the Ping's payload"
    assert conn.data_to_send() == b"", "data_to_send() should return each byte once: the second call gave more"
    p = Protocol(Side.SERVER)
    p.send_ping(b"")
    p.send_ping(bytes(125))
    conn = frames.Connection("client")
    events_of(conn, *p.data_to_send())
    read = websockets_reads(conn.data_to_send(), side=Side.SERVER)
    assert read == [(PONG, b"", True), (PONG, bytes(125), True)], \
        f"two Pings from a websockets server were answered with {read!r:.120}"


def test_sending(frames: ModuleType) -> None:
    """sends messages that peers read: masked with a fresh key as a client, unmasked as a server

    Look at: Connection._send() (RFC 6455 section 5.3: a new, unpredictable key for every frame)
    """
    for role, client_reads in [("client", False), ("server", True)]:
        conn = frames.Connection(role)
        conn.send_text("grüß")
        conn.send_binary(bytes(300))
        conn.send_ping(b"p")
        data = conn.data_to_send()
        read = wsproto_reads(data, client=client_reads)
        want = [(TEXT, "grüß".encode(), True), (BINARY, bytes(300), True), (PING, b"p", True)]
        assert read == want, f"Connection({role!r}) sent {read!r:.150}, want {want!r:.150}"
    conn = frames.Connection("client")
    keys = set()
    for _ in range(8):
        conn.send_text("same")
        keys.add(conn.data_to_send()[2:6])
    assert len(keys) == 8, "a client should mask each frame with a new random key (os.urandom(4)); keys repeated"


def test_fragment_order(frames: ModuleType) -> None:
    """fails with 1002 on a CONTINUATION with no message to continue, or a new message inside one

    Look at: Connection._data() (RFC 6455 section 5.4)
    """
    protocol_error(frames, lambda: frames.Connection("server").receive(raw_frame(CONTINUATION, b"x")), 1002,
                   "a CONTINUATION frame first")
    protocol_error(frames, lambda: frames.Connection("server").receive(
        raw_frame(TEXT, b"a", fin=False) + raw_frame(BINARY, b"b")), 1002, "a BINARY frame inside a fragmented TEXT message")
    protocol_error(frames, lambda: frames.Connection("server").receive(
        raw_frame(TEXT, b"a") + raw_frame(CONTINUATION, b"b")), 1002, "a CONTINUATION after a finished message")


def test_message_too_big(frames: ModuleType) -> None:
    """fails with 1009 when a message's fragments add up to more than max_size

    Look at: Connection._data(): count the bytes of the whole message, not only of one frame
    """
    conn = frames.Connection("server", max_size=1000)
    got = events_of(conn, raw_frame(BINARY, bytes(600), fin=False), raw_frame(CONTINUATION, bytes(400)))
    assert got == [frames.Message(bytes(1000))], "a message of exactly max_size bytes, in two fragments, should be delivered"
    conn = frames.Connection("server", max_size=1000)
    conn.receive(raw_frame(BINARY, bytes(600), fin=False))
    protocol_error(frames, lambda: conn.receive(raw_frame(CONTINUATION, bytes(401))), 1009,
                   "fragments of 600 and 401 bytes with max_size=1000")
    protocol_error(frames, lambda: frames.Connection("server", max_size=10).receive(raw_frame(TEXT, bytes(11))), 1009,
                   "an 11-byte text frame with max_size=10")
