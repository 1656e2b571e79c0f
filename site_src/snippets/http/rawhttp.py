"""A hand-written HTTP/1.1 client, small enough to read in one sitting: open a TCP connection,
send bytes you wrote yourself, read back one response at a time, print bytes with their line
endings showing.

The interesting part is `read_response`: a response has no "end of message" marker, so the
reader has to work out where the body ends from the head alone, in the order RFC 9112 §6.3
gives (no body at all / chunked / Content-Length / until the server closes). Bytes read past
the end of one response stay in the buffer for the next: that is how keep-alive and
pipelining work from a client's side.

The other snippets of this module import it (`from snippets.http import rawhttp`).

Try: make `read_response` ignore Transfer-Encoding and read a chunked body from the
`/stream` route of demo_app.py: what does it hand back, and what happens to the next request?
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

TIMEOUT = 5.0  # seconds; every read on these sockets gives up after this


class ConnectionClosed(Exception):
    """The server closed the connection before a whole response arrived."""


def connect(url: str) -> socket.socket:
    """A TCP connection to the server behind `url` (http://host:port)."""
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT)


# --- Reading: a buffer in front of the socket ------------------------------------------------

class Reader:
    """Reads a socket through a buffer, so that bytes that arrive early wait for their turn."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""
        self.taken = b""  # everything handed out since the last `mark()`

    def mark(self) -> None:
        self.taken = b""

    def _fill(self) -> bool:
        try:
            data = self.sock.recv(65536)
        except ConnectionResetError:  # the server closed with our bytes still unread (TCP RST)
            return False
        self.buffer += data
        return bool(data)  # b"" means the server closed its side (TCP FIN)

    def _take(self, n: int) -> bytes:
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        self.taken += data
        return data

    def line(self) -> bytes:
        """One line, CRLF included (RFC 9112 §2.1: every line of the head ends with CRLF)."""
        while b"\r\n" not in self.buffer:
            if not self._fill():
                raise ConnectionClosed(f"closed in the middle of a line: {self.buffer!r}")
        return self._take(self.buffer.index(b"\r\n") + 2)

    def exactly(self, n: int) -> bytes:
        while len(self.buffer) < n:
            if not self._fill():
                raise ConnectionClosed(f"closed after {len(self.buffer)} of {n} bytes")
        return self._take(n)

    def until_closed(self) -> bytes:
        while self._fill():
            pass
        return self._take(len(self.buffer))

    def closed_by_server(self) -> bool:
        """True once the server has closed the connection and nothing is left to read.

        Only ask when the server owes nothing more: on an open, idle connection this waits
        for the socket timeout.
        """
        return not self.buffer and not self._fill()


# --- One response ---------------------------------------------------------------------------

@dataclass
class Response:
    version: str
    status: int
    reason: str
    headers: list[tuple[str, str]]  # in order, names spelled as the server sent them
    body: bytes
    framing: str  # how the end of the body was found: no body, chunked, content-length, close
    chunk_sizes: list[int] = field(default_factory=list)
    trailers: list[tuple[str, str]] = field(default_factory=list)
    raw: bytes = b""  # the bytes of this response exactly as they came off the wire

    def header(self, name: str) -> str | None:
        """A field's value, looked up without regard to case (RFC 9110 §5.1)."""
        values = [v for n, v in self.headers if n.lower() == name.lower()]
        return ", ".join(values) if values else None


def parse_field_line(line: bytes) -> tuple[str, str]:
    """`name: value` → (name, value); the value loses the optional whitespace around it."""
    name, colon, value = line.rstrip(b"\r\n").partition(b":")
    if not colon:
        raise ValueError(f"not a field line: {line!r}")
    return name.decode("ascii"), value.strip(b" \t").decode("latin-1")


def read_head(reader: Reader) -> tuple[str, int, str, list[tuple[str, str]]]:
    # --8<-- [start:head]
    # status-line = HTTP-version SP status-code SP [reason-phrase] CRLF (§4)
    status_line = reader.line().rstrip(b"\r\n").decode("ascii")
    version, status, reason = status_line.split(" ", 2)
    headers = []
    while (line := reader.line()) != b"\r\n":  # an empty line ends the head
        headers.append(parse_field_line(line))
    # --8<-- [end:head]
    return version, int(status), reason, headers


def read_response(reader: Reader, method: str = "GET") -> Response:
    """Read exactly one response; anything after it stays in `reader` for the next one."""
    reader.mark()
    version, status, reason, headers = read_head(reader)
    response = Response(version, status, reason, headers, b"", "")
    transfer_encoding = (response.header("transfer-encoding") or "").lower()
    content_length = response.header("content-length")
    # --8<-- [start:framing]
    # RFC 9112 §6.3, in order: the first rule that applies says where the body ends
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        response.framing = "no body"
    elif transfer_encoding.split(",")[-1].strip() == "chunked":
        response.framing = "chunked"
        response.body = read_chunked(reader, response)
    elif content_length is not None:
        response.framing = "content-length"
        response.body = reader.exactly(int(content_length))
    else:
        response.framing = "close"  # responses only: read until the server closes
        response.body = reader.until_closed()
    # --8<-- [end:framing]
    response.raw = reader.taken
    return response


def read_chunked(reader: Reader, response: Response) -> bytes:
    # --8<-- [start:chunked]
    # chunk = chunk-size [chunk-ext] CRLF chunk-data CRLF; size in hex (§7.1)
    body = b""
    while True:
        size = int(reader.line().split(b";")[0].strip(), 16)
        if size == 0:  # the last chunk: "0" CRLF, then the trailer section
            break
        body += reader.exactly(size)
        response.chunk_sizes.append(size)
        if reader.exactly(2) != b"\r\n":
            raise ValueError("chunk data not followed by CRLF")
    while (line := reader.line()) != b"\r\n":  # trailer fields, then an empty line
        response.trailers.append(parse_field_line(line))
    return body
    # --8<-- [end:chunked]


# --- Printing bytes so that you can see them --------------------------------------------------

_DATE = re.compile(rb"^(date:)[^\r\n]*", re.IGNORECASE | re.MULTILINE)
# A printed line ends after each CRLF, and after a bare LF unless a CRLF follows it at once
# (chunk data that ends in LF stays on one line with the CRLF that closes the chunk).
_LINE_END = re.compile(rb"(?<=\r\n)|(?<=(?<!\r)\n)(?!\r\n)")


def mask(data: bytes) -> bytes:
    """Replace the value of every Date field (it changes every second) with <masked>."""
    return _DATE.sub(rb"\1 <masked>", data)


def render(data: bytes, prefix: str = "") -> str:
    """Bytes as text, one wire line per printed line, with CR and LF spelled out as \\r \\n."""
    lines = []
    for line in filter(None, _LINE_END.split(mask(data))):
        text = line.decode("latin-1").encode("unicode_escape").decode("ascii")
        lines.append(prefix + text)
    return "\n".join(lines)


def show(data: bytes, prefix: str = "") -> None:
    print(render(data, prefix))
