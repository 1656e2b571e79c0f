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
    # A teaching version: libraries do this in C, or on big integers, for speed.
    return bytes(byte ^ key[i % 4] for i, byte in enumerate(data))


def encode_frame(opcode: int, payload: bytes, *, fin: bool = True, mask: bytes | None = None) -> bytes:
    """One frame: FIN, opcode, the shortest length form, and the payload, masked with `mask`
    (4 bytes; a client must pass a fresh random key per frame, a server passes None).

    Raises ValueError for a frame no peer may receive: an unknown opcode, a control frame
    that is fragmented or longer than 125 bytes, a mask that isn't 4 bytes.
    """
    opcode = Opcode(opcode)  # ValueError for a reserved opcode
    if opcode.is_control and (not fin or len(payload) > MAX_CONTROL_PAYLOAD):
        raise ValueError("a control frame must have FIN set and at most 125 bytes of payload")
    if mask is not None and len(mask) != 4:
        raise ValueError("a masking key is 4 bytes")
    head = bytearray([(0x80 if fin else 0) | opcode])
    mask_bit = 0x80 if mask is not None else 0
    # Section 5.2: the length takes 7 bits, or 126 and 16 bits, or 127 and 64 bits, and
    # "the minimal number of bytes MUST be used".
    length = len(payload)
    if length <= 125:
        head.append(mask_bit | length)
    elif length <= 0xFFFF:
        head.append(mask_bit | 126)
        head += length.to_bytes(2, "big")
    else:
        head.append(mask_bit | 127)
        head += length.to_bytes(8, "big")
    if mask is None:
        return bytes(head) + payload
    return bytes(head) + mask + apply_mask(payload, mask)


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
        # The header is re-read from the start on each call: at most 14 bytes, so simpler
        # than remembering how far the last call got.
        buffer = self._buffer
        if len(buffer) < 2:
            return None
        first, second = buffer[0], buffer[1]
        fin = bool(first & 0x80)
        if first & 0x70:
            # RSV1-3 are for extensions (permessage-deflate uses RSV1); none was negotiated.
            raise ProtocolError(1002, "reserved bit set without an extension")
        try:
            opcode = Opcode(first & 0x0F)
        except ValueError:
            raise ProtocolError(1002, f"unknown opcode {first & 0x0F:#x}") from None
        masked = bool(second & 0x80)
        # Section 5.1: a server closes on an unmasked frame, a client on a masked one.
        if self.role == "server" and not masked:
            raise ProtocolError(1002, "a client's frame must be masked")
        if self.role == "client" and masked:
            raise ProtocolError(1002, "a server's frame must not be masked")
        length, offset = second & 0x7F, 2
        if opcode.is_control and (not fin or length > MAX_CONTROL_PAYLOAD):
            raise ProtocolError(1002, "a control frame must not be fragmented or exceed 125 bytes")
        if length == 126:
            if len(buffer) < 4:
                return None
            length, offset = int.from_bytes(buffer[2:4], "big"), 4
            minimum = 126
        elif length == 127:
            if len(buffer) < 10:
                return None
            length, offset = int.from_bytes(buffer[2:10], "big"), 10
            if length >> 63:
                raise ProtocolError(1002, "the most significant bit of a 64-bit length must be 0")
            minimum = 0x10000
        else:
            minimum = 0
        # The RFC requires the shortest length form of senders and says nothing of receivers;
        # like wsproto, refuse a longer one: no honest sender writes it.
        if length < minimum:
            raise ProtocolError(1002, "payload length not in its shortest form")
        if length > self.max_size:
            raise ProtocolError(1009, f"frame of {length} bytes exceeds the limit of {self.max_size}")
        if masked:
            key = bytes(buffer[offset : offset + 4])
            offset += 4
        end = offset + length
        if len(buffer) < end:
            return None  # the masking key or payload is still on its way
        payload = bytes(buffer[offset:end])
        del buffer[:end]
        if masked:
            payload = apply_mask(payload, key)
        return Frame(opcode, payload, fin)


# --- 3. Close frames ----------------------------------------------------------------------------


def parse_close(payload: bytes) -> tuple[int, str]:
    """The (code, reason) of a Close frame's payload: a 2-byte code, then a UTF-8 reason.

    An empty payload is (1005, ""): section 7.1.5 calls a closure without a code 1005.
    """
    if not payload:
        return 1005, ""
    if len(payload) == 1:
        raise ProtocolError(1002, "a Close payload is empty or starts with a 2-byte code")
    code = int.from_bytes(payload[:2], "big")
    if code not in _SENDABLE_CLOSE_CODES and not 3000 <= code <= 4999:
        raise ProtocolError(1002, f"close code {code} may not be sent")
    try:
        reason = payload[2:].decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(1007, "the close reason is not UTF-8") from None
    return code, reason


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
        if frame.opcode is Opcode.PING:
            if not self.close_sent:
                self._send(Opcode.PONG, frame.payload)  # section 5.5.3: the same payload
            return Ping(frame.payload)
        if frame.opcode is Opcode.PONG:
            return Pong(frame.payload)
        if frame.opcode is Opcode.CLOSE:
            code, reason = parse_close(frame.payload)
            self.close_received = True
            if not self.close_sent:
                self.send_close(None if code == 1005 else code)  # echo the code, as is usual
            return Close(code, reason)
        return self._data(frame)

    def _data(self, frame: Frame) -> Message | None:
        """Add a data frame to the message it belongs to; the Message once it is complete."""
        # Section 5.4: a message is a TEXT or BINARY frame, then CONTINUATION frames up to the
        # one with FIN set; control frames may come in between (handled before we get here).
        if frame.opcode is Opcode.CONTINUATION:
            if self._opcode is None:
                raise ProtocolError(1002, "continuation frame without a message to continue")
        else:
            if self._opcode is not None:
                raise ProtocolError(1002, "new message before the last one was finished")
            self._opcode, self._parts, self._size = frame.opcode, [], 0
            self._utf8 = codecs.getincrementaldecoder("utf-8")() if frame.opcode is Opcode.TEXT else None
        self._size += len(frame.payload)
        if self._size > self.max_size:
            raise ProtocolError(1009, f"message exceeds the limit of {self.max_size} bytes")
        if self._utf8 is not None:
            # Decode each fragment as it comes, so bad text fails at once; a character
            # split between two fragments waits in the decoder for its last bytes.
            try:
                self._parts.append(self._utf8.decode(frame.payload, final=frame.fin))
            except UnicodeDecodeError:
                raise ProtocolError(1007, "text message is not valid UTF-8") from None
        else:
            self._parts.append(frame.payload)
        if not frame.fin:
            return None
        data = "".join(self._parts) if self._utf8 is not None else b"".join(self._parts)
        self._opcode, self._parts, self._utf8 = None, [], None
        return Message(data)

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
        # Section 5.3: a client masks every frame with a fresh, unpredictable key.
        mask = os.urandom(4) if self.role == "client" else None
        self._outgoing += encode_frame(opcode, payload, mask=mask)
