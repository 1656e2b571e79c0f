"""An HTTP/1.1 server on a raw socket: nothing but `socket` and `threading` (no http.server).

Try it:

    wire start http-server                     # or: python server.py --port 8080
    curl -v http://127.0.0.1:8080/             # 200, "Hello, world!"
    curl -v http://127.0.0.1:8080/echo         # what the server parsed from your request
    curl -v --data-binary hi http://127.0.0.1:8080/echo     # your body, sent back
    printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' | nc 127.0.0.1 8080   # bytes typed by hand

The file reads in the order a request travels: bytes arrive on a Connection, become a
head and a body (read_head, read_body), are parsed (parse_request_line, parse_headers,
check_host, body_length), answered by a tiny app, and written back (send_response);
serve_requests repeats that for as long as the connection lives. The socket, the app, writing
responses and the threads are given in socket_plumbing.py: read it, no need to edit it.
"""

# Every change from the starter carries a comment naming the rule it follows.

from __future__ import annotations

import re
import time

from socket_plumbing import Connection, HTTPError, Request, app, main, send_response

################################################################
# Limits
################################################################

# The request head (request line, header lines and the empty line that ends them) may be
# at most this long; a longer one gets 431 (RFC 6585 §5). Without a limit, a client that
# never sends the empty line would make the server buffer for ever.
MAX_HEAD = 8 * 1024

# The largest body accepted; a longer Content-Length gets 413 (RFC 9110 §15.5.14).
MAX_BODY = 1024 * 1024

################################################################
# The grammar: the pieces of RFC 9110 and RFC 9112 you need, as regular expressions
################################################################

# token = 1*tchar (RFC 9110 §5.6.2): what a method and a field name are made of.
TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

# A request-target: visible ASCII, so no spaces, no control bytes, nothing above 0x7E
# (RFC 9112 §3.2, RFC 3986).
TARGET = re.compile(rb"[\x21-\x7e]+")

# HTTP-version = "HTTP/" DIGIT "." DIGIT, and "HTTP" is case-sensitive (RFC 9112 §2.3).
HTTP_VERSION = re.compile(rb"HTTP/[0-9]\.[0-9]")

# field-value: visible ASCII, spaces, tabs and (obsolete, still allowed) bytes 0x80-0xFF;
# never CR, LF, NUL or another control byte (RFC 9110 §5.5).
FIELD_VALUE = re.compile(rb"[\t\x20-\x7e\x80-\xff]*")

# Content-Length = 1*DIGIT (RFC 9110 §8.6). Header values are str by then, hence no rb"".
DIGITS = re.compile(r"[0-9]+")

################################################################
# Reading bytes: from the socket to a head and a body
################################################################


def read_head(conn: Connection) -> bytes | None:
    """The next request's head: its request line and header lines, without the empty line
    that ends them. None when the client closed, or stayed silent, before starting one."""
    while True:
        # RFC 9112 §2.2: a server SHOULD ignore empty lines before a request line (some
        # clients send a stray CRLF after a body).
        while conn.buffer.startswith(b"\r\n"):
            conn.buffer = conn.buffer[2:]
        # The head ends at the first empty line, CRLF CRLF (RFC 9112 §2.1). Looking only in
        # the first MAX_HEAD bytes is the size limit; what follows is the body or the next
        # request, so it stays in the buffer.
        end = conn.buffer.find(b"\r\n\r\n", 0, MAX_HEAD)
        if end != -1:
            head, conn.buffer = conn.buffer[:end], conn.buffer[end + 4 :]
            return head
        if len(conn.buffer) >= MAX_HEAD:
            raise HTTPError(431, f"the request head is longer than {MAX_HEAD} bytes")
        # Lines end in CRLF. RFC 9112 §2.2 lets a server also accept a bare LF; this one
        # doesn't (two parsers that disagree on line ends can read two different requests
        # from the same bytes), and since LF LF would never end the head, it says so now.
        if b"\n\n" in conn.buffer:
            raise HTTPError(400, "lines must end with CRLF, not a bare LF")
        try:
            more = conn.receive()
        except TimeoutError:
            if not conn.buffer:
                return None  # silent between requests: close without a word (RFC 9112 §9.5)
            raise HTTPError(408, "the request head did not arrive in time") from None
        if not more:
            if not conn.buffer:
                return None  # the client closed between requests: the normal end
            raise HTTPError(400, "the connection closed in the middle of a request head")


def read_body(conn: Connection, length: int) -> bytes:
    """Exactly `length` bytes of body: first from the buffer, then from the socket."""
    # The body is the next `length` bytes, however many recv() calls they take (RFC 9112
    # §6.2); anything after them is the next request, so it stays in the buffer.
    while len(conn.buffer) < length:
        try:
            more = conn.receive()
        except TimeoutError:
            raise HTTPError(408, "the request body did not arrive in time") from None
        if not more:
            raise HTTPError(400, "the connection closed before the whole body arrived")
    body, conn.buffer = conn.buffer[:length], conn.buffer[length:]
    return body


################################################################
# Parsing: from a head to a Request
################################################################


def read_request(conn: Connection) -> Request | None:
    """Read and parse the next request on the connection; None when there is none.
    Raises HTTPError for a request the server refuses."""
    head = read_head(conn)
    if head is None:
        return None
    request_line, *field_lines = head.split(b"\r\n")
    method, target, version = parse_request_line(request_line)
    conn.log(f"{method} {target} {version}")
    request = Request(method, target, version, parse_headers(field_lines))
    check_host(request)
    request.body = read_body(conn, body_length(request))
    return request


def parse_request_line(line: bytes) -> tuple[str, str, str]:
    """Split `method SP request-target SP HTTP-version` (RFC 9112 §3) into its three parts."""
    # Exactly three parts, separated by single spaces, each matching its grammar; anything
    # else is a 400. A server that guesses (splitting on any run of whitespace, say) can
    # read another request than the proxy in front of it did (RFC 9112 §3, §11.2).
    parts = line.split(b" ")
    if len(parts) != 3:
        raise HTTPError(400, "the request line must be: METHOD SP target SP HTTP/1.1")
    method, target, version = parts
    if not (TOKEN.fullmatch(method) and TARGET.fullmatch(target) and HTTP_VERSION.fullmatch(version)):
        raise HTTPError(400, f"malformed request line {line[:60]!r}")
    # Minor versions of HTTP/1 are compatible; another major version is a 505 (RFC 9110
    # §2.5, §15.6.6).
    if not version.startswith(b"HTTP/1."):
        raise HTTPError(505, f"{version.decode()} is not supported, only HTTP/1.x")
    return method.decode("ascii"), target.decode("ascii"), version.decode("ascii")


def parse_headers(lines: list[bytes]) -> list[tuple[str, str]]:
    """Parse `field-name ":" OWS field-value OWS` lines (RFC 9112 §5) into (name, value)."""
    headers = []
    for line in lines:
        name, colon, value = line.partition(b":")
        # The name must be a token right up to the colon: RFC 9112 §5.1 says a server MUST
        # answer 400 to whitespace before the colon, since proxies disagree on what
        # "Host : x" means. The same test refuses a line with no colon, an empty name, and a
        # folded line that starts with whitespace (obs-fold, RFC 9112 §5.2).
        if not colon or not TOKEN.fullmatch(name):
            raise HTTPError(400, f"malformed header line {line[:60]!r}")
        # Whitespace around the value is not part of it (RFC 9112 §5.1); CR, LF and NUL
        # inside it are refused, not repaired (RFC 9110 §5.5).
        value = value.strip(b" \t")
        if not FIELD_VALUE.fullmatch(value):
            raise HTTPError(400, f"a control character in the value of {name.decode()}")
        # Names are case-insensitive (RFC 9110 §5.1); latin-1 maps every byte of a value.
        headers.append((name.decode("ascii").lower(), value.decode("latin-1")))
    return headers


def check_host(request: Request) -> None:
    """Refuse a request whose Host header is missing or repeated."""
    # RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without Host, and to
    # any request with more than one. HTTP/1.0 came before Host, so there it is optional.
    hosts = request.values("host")
    if len(hosts) > 1:
        raise HTTPError(400, "more than one Host header")
    if not hosts and request.version != "HTTP/1.0":
        raise HTTPError(400, "an HTTP/1.1 request needs a Host header")


def body_length(request: Request) -> int:
    """How many bytes of body follow the head (RFC 9112 §6.3). Raises HTTPError when the
    framing can't be trusted or isn't supported."""
    # RFC 9112 §6.3 rule 3: Transfer-Encoding together with Content-Length is how request
    # smuggling is done; refuse it. Alone it means chunked, which RFC 9112 §6.1 says every
    # server MUST decode; this small one doesn't, and says so with 501 (RFC 9110 §15.6.2).
    if request.values("transfer-encoding"):
        if request.values("content-length"):
            raise HTTPError(400, "Transfer-Encoding and Content-Length together")
        raise HTTPError(501, "Transfer-Encoding is not supported here; send Content-Length")
    # Rule 7: a request with neither has no body.
    values = {v.strip() for line in request.values("content-length") for v in line.split(",")}
    if not values:
        return 0
    # Rule 5: several values that differ, or one that isn't all digits, is a 400 (the same
    # value repeated, "5, 5", is allowed).
    if len(values) > 1:
        raise HTTPError(400, "conflicting Content-Length values")
    (value,) = values
    if not DIGITS.fullmatch(value):
        raise HTTPError(400, f"Content-Length must be digits, not {value[:20]!r}")
    # 413 before reading any of it (RFC 9110 §15.5.14). More than 15 digits is over the
    # limit anyway, and int() refuses strings of thousands of digits.
    if len(value) > 15 or int(value) > MAX_BODY:
        raise HTTPError(413, f"the body may be at most {MAX_BODY} bytes")
    return int(value)


################################################################
# One connection: requests in, responses out, until it closes
################################################################


def serve_requests(conn: Connection) -> None:
    """Answer the requests on one connection, in the order they come, until it should close."""
    # HTTP/1.1 connections persist (RFC 9112 §9.3): answer request after request, in the
    # order they came, even when a client sends several before reading any answer
    # (pipelining, RFC 9112 §9.3.2). The early bytes of the next request wait in conn.buffer.
    while True:
        try:
            request = read_request(conn)
        except HTTPError as error:
            # After a refused request there's no telling where the next one would start, so
            # this is the last response: say so with Connection: close, then close (RFC 9112
            # §9.6).
            send_response(conn, error.response(), close=True)
            return
        if request is None:
            return
        persist = keep_alive(request)
        # HEAD gets the header fields GET would get, and never a body (RFC 9110 §9.3.2).
        send_response(conn, app(request), head_only=request.method == "HEAD", close=not persist)
        if not persist:
            return


def keep_alive(request: Request) -> bool:
    """Whether the connection stays open after the response to this request."""
    # Connection is a comma-separated list of case-insensitive options (RFC 9110 §7.6.1);
    # "close" means this is the client's last request (RFC 9112 §9.6).
    options = {option.strip().lower()
               for value in request.values("connection") for option in value.split(",")}
    if "close" in options:
        return False
    # HTTP/1.1 persists by default, HTTP/1.0 closes by default (RFC 9112 §9.3). This server
    # doesn't take up HTTP/1.0's optional "keep-alive" extension.
    return request.version != "HTTP/1.0"


if __name__ == "__main__":
    main(serve_requests)
