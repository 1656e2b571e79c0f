"""WebSocket frames without sockets: bytes in, frames and events out (RFC 6455, section 5).

    from frames import Connection, ProtocolError

    conn = Connection("server")              # or "client": a client masks what it sends
    events = conn.receive(data)              # bytes from the socket -> Message, Ping, Pong, Close
    conn.send_text("hello")                  # queue frames to send ...
    sock.sendall(conn.data_to_send())        # ... and send them (pongs and close replies too)

Nothing here reads or writes a socket; serve.py does that, in the manner of h11 and wsproto.

The file has four layers, each built on the one before:

1. encode_frame() and apply_mask(): one frame to bytes (section 5.2, masking in 5.3);
2. FrameDecoder: bytes, fed in pieces of any size, to frames one at a time, refusing malformed ones;
3. parse_close(): the payload of a Close frame, a status code and a reason (5.5.1, 7.4);
4. Connection: frames to messages, across fragments (5.4), with pings answered (5.5.2),
   text checked as UTF-8 (8.1), sizes limited, and the closing handshake (5.5.1).

Anything a peer sends that breaks the protocol raises ProtocolError(close_code, reason): the
code to send in the Close frame before closing the connection (RFC 6455 section 7.4.1).

The parts to write are marked TODO 1 to TODO 7, in the order `wire check websocket-frames`
checks them. The rest (the types, Connection.receive() and the send_*() methods) is given.
"""

from __future__ import annotations

import codecs
import enum
import os
from dataclasses import dataclass
from typing import Literal, Union

Role = Literal["client", "server"]

MAX_SIZE = 1024 * 1024  # default limit on an incoming message (and so on a frame), in bytes
MAX_CONTROL_PAYLOAD = 125  # section 5.5: control frames carry at most 125 bytes

# Close codes a peer may send (section 7.4): the ones RFC 6455 defines for use on the wire,
# 1012-1014 which IANA registered since, and 3000-4999 for libraries and applications.
# 1004 is reserved; 1005, 1006 and 1015 only describe a closure locally, never on the wire.
_SENDABLE_CLOSE_CODES = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014}


class Opcode(enum.IntEnum):
    """The frame types of section 5.2; 0x3-0x7 and 0xB-0xF are reserved."""

    CONTINUATION = 0x0
    TEXT = 0x1
    BINARY = 0x2
    CLOSE = 0x8
    PING = 0x9
    PONG = 0xA

    @property
    def is_control(self) -> bool:
        return self >= 0x8


class ProtocolError(Exception):
    """The peer broke the protocol: fail the connection with a Close frame carrying close_code."""

    def __init__(self, close_code: int, reason: str) -> None:
        super().__init__(f"{close_code} {reason}")
        self.close_code = close_code
        self.reason = reason


@dataclass(frozen=True)
class Frame:
    """One frame as FrameDecoder returns it: payload already unmasked."""

    opcode: Opcode
    payload: bytes
    fin: bool = True


# Events that Connection.receive() returns.
@dataclass(frozen=True)
class Message:
    data: str | bytes  # str for a text message, bytes for a binary one


@dataclass(frozen=True)
class Ping:
    payload: bytes


@dataclass(frozen=True)
class Pong:
    payload: bytes


@dataclass(frozen=True)
class Close:
    code: int  # 1005 when the Close frame carried no code
    reason: str


Event = Union[Message, Ping, Pong, Close]


# --- 1. Encoding -------------------------------------------------------------------------------


def apply_mask(data: bytes, key: bytes) -> bytes:
    """XOR byte i of data with byte i % 4 of key (section 5.3); applied twice, it undoes itself."""
    # TODO 1: the masking of section 5.3, for data of any length.
    raise NotImplementedError("apply_mask() is not written yet")


def encode_frame(opcode: int, payload: bytes, *, fin: bool = True, mask: bytes | None = None) -> bytes:
    """One frame: FIN, opcode, the shortest length form, and the payload, masked with `mask`
    (4 bytes; a client must pass a fresh random key per frame, a server passes None).

    Raises ValueError for a frame no peer may receive: an unknown opcode, a control frame
    that is fragmented or longer than 125 bytes, a mask that isn't 4 bytes.
    """
    # TODO 2: the frame of section 5.2, byte for byte, its length in the shortest form that
    # holds it; a ValueError first for a frame no peer may receive (sections 5.2, 5.3, 5.5).
    raise NotImplementedError("encode_frame() is not written yet")


# --- 2. Decoding -------------------------------------------------------------------------------


class FrameDecoder:
    """Turn bytes, in pieces of any size, into frames; refuse malformed frames.

    `role` is the side doing the reading: a server reads masked frames from clients, a client
    reads unmasked frames from servers. A frame whose payload would exceed `max_size` is
    refused (1009) as soon as its length is known, before its payload is buffered.
    """

    def __init__(self, role: Role, *, max_size: int = MAX_SIZE) -> None:
        if role not in ("client", "server"):
            raise ValueError("role is 'client' or 'server'")
        self.role = role
        self.max_size = max_size
        self._buffer = bytearray()

    def feed(self, data: bytes) -> None:
        """Add bytes from the peer; next_frame() takes frames out of them."""
        self._buffer += data

    def next_frame(self) -> Frame | None:
        """The next complete frame, or None until more bytes arrive.

        Raises ProtocolError as soon as the bytes held break the protocol, even mid-header.
        """
        # TODO 3: the frame at the front of self._buffer (section 5.2), unmasked and taken out
        # of it, or None while a byte it needs is missing. A broken rule (README, step 3) is a
        # ProtocolError as soon as the bytes held show it, a length over max_size before its
        # payload has come.
        raise NotImplementedError("FrameDecoder.next_frame() is not written yet")


# --- 3. Close frames ----------------------------------------------------------------------------


def parse_close(payload: bytes) -> tuple[int, str]:
    """The (code, reason) of a Close frame's payload: a 2-byte code, then a UTF-8 reason.

    An empty payload is (1005, ""): section 7.1.5 calls a closure without a code 1005.
    """
    # TODO 4: (code, reason) for any payload a peer may send (sections 5.5.1, 7.1.5); a
    # ProtocolError for one it may not (section 7.4, and the codes at the top of this file).
    raise NotImplementedError("parse_close() is not written yet")


def _close_payload(code: int | None, reason: str) -> bytes:
    if code is None:
        return b""
    return code.to_bytes(2, "big") + reason.encode("utf-8")


# --- 4. Messages ------------------------------------------------------------------------------


class Connection:
    """One side of a WebSocket connection, after the handshake: messages, pings and closing.

    receive() turns bytes into events and queues any reply the protocol owes (a Pong for each
    Ping, a Close in answer to a Close); send_*() queue frames; data_to_send() hands over all
    queued bytes, in order. receive() raises ProtocolError when the peer breaks the protocol:
    then send_close(error.close_code, error.reason), send what it queued, and close the socket.
    """

    def __init__(self, role: Role, *, max_size: int = MAX_SIZE) -> None:
        self.role = role
        self.max_size = max_size
        self.close_sent = False
        self.close_received = False
        self._decoder = FrameDecoder(role, max_size=max_size)
        self._outgoing = bytearray()
        self._opcode: Opcode | None = None  # TEXT or BINARY while a fragmented message is open
        self._parts: list[str] | list[bytes] = []
        self._size = 0
        self._utf8: codecs.IncrementalDecoder | None = None

    def receive(self, data: bytes) -> list[Event]:
        """Feed bytes from the peer; return the events they complete, in order."""
        if self.close_received:
            return []  # section 1.4: after a Close, the rest of the stream is discarded
        self._decoder.feed(data)
        events = []
        # One frame at a time, so that the first error in the stream is the one raised,
        # wherever the bytes were split.
        while not self.close_received and (frame := self._decoder.next_frame()) is not None:
            event = self._handle(frame)
            if event is not None:
                events.append(event)
        return events

    def _handle(self, frame: Frame) -> Event | None:
        """The event a frame makes, if any: control frames here, data frames in _data()."""
        # TODO 5: the event a control frame makes, with the reply the protocol owes queued
        # (sections 5.5.1 to 5.5.3); after a Close, receive() reads no more. Data frames are
        # for _data().
        raise NotImplementedError("Connection._handle() is not written yet")

    def _data(self, frame: Frame) -> Message | None:
        """Add a data frame to the message it belongs to; the Message once it is complete."""
        # TODO 6: the Message once its last fragment is in, None before (section 5.4); a
        # ProtocolError for fragments out of order, a message over max_size, and text that
        # is not UTF-8 (section 8.1), as soon as a fragment shows it.
        raise NotImplementedError("Connection._data() is not written yet")

    # Sending: each call queues one frame; data_to_send() hands the bytes over.

    def send_text(self, text: str) -> None:
        self._send(Opcode.TEXT, text.encode("utf-8"))

    def send_binary(self, data: bytes) -> None:
        self._send(Opcode.BINARY, data)

    def send_ping(self, payload: bytes = b"") -> None:
        self._send(Opcode.PING, payload)

    def send_close(self, code: int | None = 1000, reason: str = "") -> None:
        """Queue a Close frame (once): code None sends one without a code."""
        if not self.close_sent:
            self.close_sent = True
            self._send(Opcode.CLOSE, _close_payload(code, reason))

    def data_to_send(self) -> bytes:
        """Every byte queued since the last call."""
        data, self._outgoing = bytes(self._outgoing), bytearray()
        return data

    def _send(self, opcode: Opcode, payload: bytes) -> None:
        # TODO 7: each frame masked as section 5.3 asks of self.role.
        self._outgoing += encode_frame(opcode, payload)
