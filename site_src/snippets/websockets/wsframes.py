"""RFC 6455 by hand, small enough to read in one sitting: the opening handshake's key and
accept value, and one frame, encoded and decoded, byte by byte.

After the handshake a WebSocket connection carries frames, in both directions:

     0               1               2               3
     7 6 5 4 3 2 1 0 7 6 5 4 3 2 1 0 7 6 5 4 3 2 1 0 7 6 5 4 3 2 1 0
    +-+-+-+-+-------+-+-------------+-------------------------------+
    |F|R|R|R| opcode|M| length (7)  | length, if 126 (16) or 127 (64)
    |I|S|S|S|  (4)  |A|             |                               |
    |N|V|V|V|       |S|             |   then a 4-byte masking key   |
    | |1|2|3|       |K|             |   if MASK is set, then data   |
    +-+-+-+-+-------+-+-------------+-------------------------------+

(RFC 6455 §5.2.) The other snippets of this module and its notebooks import it:
`from snippets.websockets import wsframes`. It reads frames from the same buffered socket
reader as the HTTP module's client (`snippets.http.rawhttp.Reader`), since a WebSocket
starts life as an HTTP/1.1 connection.

What it leaves out, on purpose: incremental parsing of bytes that arrive in pieces, putting
fragments together, UTF-8 checks, limits. A real implementation needs all of them.

Try: encode a ping with a 126-byte payload. What does RFC 6455 §5.5 say about it, and what
does a real server do when it gets one?
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum

from snippets.http import rawhttp


class Opcode(IntEnum):
    """RFC 6455 §5.2; 0x3-0x7 and 0xB-0xF are reserved."""

    CONTINUATION = 0x0
    TEXT = 0x1
    BINARY = 0x2
    CLOSE = 0x8
    PING = 0x9
    PONG = 0xA


# --- The opening handshake --------------------------------------------------------------------

# --8<-- [start:accept]
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 §1.3: the same for every server


def accept_key(key: str) -> str:
    """Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID))."""
    digest = hashlib.sha1((key + GUID).encode("ascii")).digest()
    return base64.b64encode(digest).decode("ascii")
# --8<-- [end:accept]


def handshake_request(host: str, path: str, key: str, extra: list[tuple[str, str]] | None = None) -> bytes:
    """The client's opening handshake (RFC 6455 §4.1): a GET that asks to switch protocols."""
    # --8<-- [start:request]
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",           # the protocol to switch to
        "Connection: Upgrade",          # Upgrade is hop-by-hop: this names it
        f"Sec-WebSocket-Key: {key}",    # 16 random bytes, base64: a nonce
        "Sec-WebSocket-Version: 13",    # the only version RFC 6455 defines
    ]
    # --8<-- [end:request]
    lines += [f"{name}: {value}" for name, value in extra or []]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


# --- Frames -----------------------------------------------------------------------------------

def mask(payload: bytes, key: bytes) -> bytes:
    """XOR byte i with key[i % 4] (RFC 6455 §5.3); masking a masked payload unmasks it."""
    return bytes(byte ^ key[i % 4] for i, byte in enumerate(payload))


def encode(opcode: int, payload: bytes = b"", *, fin: bool = True, rsv: int = 0, mask_key: bytes | None = None) -> bytes:
    """One frame. A client must pass a fresh random 4-byte `mask_key`; a server must not."""
    # --8<-- [start:encode]
    first = (0x80 if fin else 0) | (rsv << 4) | opcode
    mask_bit = 0x80 if mask_key is not None else 0
    n = len(payload)
    if n <= 125:                       # the length fits in 7 bits
        head = struct.pack("!BB", first, mask_bit | n)
    elif n <= 0xFFFF:                  # 126, then a 16-bit length
        head = struct.pack("!BBH", first, mask_bit | 126, n)
    else:                              # 127, then a 64-bit length
        head = struct.pack("!BBQ", first, mask_bit | 127, n)
    if mask_key is None:
        return head + payload
    return head + mask_key + mask(payload, mask_key)
    # --8<-- [end:encode]


def close_payload(code: int, reason: str = "") -> bytes:
    """A Close frame's body: a 2-byte status code, then an optional UTF-8 reason (§5.5.1)."""
    return struct.pack("!H", code) + reason.encode("utf-8")


@dataclass
class Frame:
    fin: bool
    rsv: int  # the three RSV bits as a number: 4 is RSV1 (permessage-deflate uses it)
    opcode: int
    payload: bytes  # unmasked
    mask_key: bytes | None
    raw: bytes  # the frame exactly as it was on the wire

    @property
    def kind(self) -> str:
        try:
            return Opcode(self.opcode).name.lower()
        except ValueError:
            return "reserved"

    @property
    def close_code(self) -> int | None:
        return struct.unpack("!H", self.payload[:2])[0] if self.opcode == Opcode.CLOSE and len(self.payload) >= 2 else None

    @property
    def close_reason(self) -> str:
        return self.payload[2:].decode("utf-8") if self.opcode == Opcode.CLOSE else ""


def _read(take: Callable[[int], bytes]) -> Frame:
    raw = head = take(2)
    fin, rsv, opcode = bool(head[0] & 0x80), (head[0] >> 4) & 0x7, head[0] & 0x0F
    masked, n = bool(head[1] & 0x80), head[1] & 0x7F
    if n == 126:
        extended = take(2)
        raw += extended
        n = struct.unpack("!H", extended)[0]
    elif n == 127:
        extended = take(8)
        raw += extended
        n = struct.unpack("!Q", extended)[0]
    key = take(4) if masked else None
    raw += key or b""
    data = take(n)
    raw += data
    return Frame(fin, rsv, opcode, mask(data, key) if key else data, key, raw)


def read_frame(reader: rawhttp.Reader) -> Frame:
    """The next frame from a socket (through rawhttp's buffer)."""
    return _read(reader.exactly)


def decode(data: bytes) -> tuple[Frame, bytes]:
    """The first frame in `data` (which must hold all of it), and the bytes after it."""
    position = 0

    def take(n: int) -> bytes:
        nonlocal position
        if position + n > len(data):
            raise ValueError(f"a frame needs {position + n} bytes, got {len(data)}")
        position += n
        return data[position - n:position]

    frame = _read(take)
    return frame, data[position:]


# --- Showing a frame, one field per line ---------------------------------------------------------

def _hex(data: bytes, limit: int = 6) -> str:
    shown = " ".join(f"{b:02x}" for b in data[:limit])
    return shown + (f" ... ({len(data)} bytes)" if len(data) > limit else "")


def _preview(data: bytes, limit: int = 8) -> str:
    return repr(data[:limit]) + ("..." if len(data) > limit else "")


def hexdump(data: bytes, width: int = 16) -> str:
    """Offset, bytes in hex, and the printable ones as text: every byte, nothing interpreted."""
    rows = []
    for at in range(0, len(data), width):
        row = data[at:at + width]
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        rows.append(f"{at:04x}  {' '.join(f'{b:02x}' for b in row):<{width * 3 - 1}}  {text}")
    return "\n".join(rows)


def annotate(raw: bytes) -> str:
    """Every byte of one frame, with what it means."""
    frame, rest = decode(raw)
    if rest:
        raise ValueError(f"{len(rest)} bytes after the frame")
    rows = [(_hex(raw[:1]), f"FIN={int(frame.fin)} RSV={frame.rsv:03b} opcode=0x{frame.opcode:x} ({frame.kind})")]
    n = len(frame.payload)
    size = 1 if n <= 125 else 3 if n <= 0xFFFF else 9
    marker = raw[1] & 0x7F
    length = f"length={n}" if size == 1 else f"length={marker}: the next {size - 1} bytes hold it"
    rows.append((_hex(raw[1:2]), f"MASK={int(frame.mask_key is not None)} {length}"))
    if size > 1:
        rows.append((_hex(raw[2:1 + size]), f"length={n}"))
    at = 1 + size
    if frame.mask_key is not None:
        rows.append((_hex(frame.mask_key), "masking key"))
        at += 4
    if n:
        what = "payload, masked" if frame.mask_key is not None else "payload"
        if frame.opcode == Opcode.CLOSE:
            meaning = f"{what}: code {frame.close_code}" + (f", reason {frame.close_reason!r}" if frame.close_reason else "")
        else:
            meaning = f"{what}: {_preview(frame.payload)}"
        rows.append((_hex(raw[at:]), meaning))
    width = max(len(left) for left, _ in rows)
    return "\n".join(f"{left:<{width}}  {right}" for left, right in rows)
