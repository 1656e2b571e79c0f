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

# TODO: each place for you to edit is marked like this line. Start with read_head(); then
# `wire check http-server` names what to do next, and `wire hint http-server` helps.

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
    # TODO: one recv() can hold part of a head, or a head and more. Keep calling
    #   conn.receive() until conn.buffer holds CRLF CRLF, the empty line that ends the head
    #   (RFC 9112 §2.1); return what comes before it, and leave what comes after it in
    #   conn.buffer: that's the body, or the next request.
    # TODO: never buffer more than MAX_HEAD bytes looking for that end: 431 (RFC 6585 §5).
    # TODO: this server wants CRLF line ends: a head ending in LF LF is a 400, at once.
    # TODO: receive() returns False when the client closes and raises TimeoutError when it
    #   goes quiet. Before a head has begun, both just end the connection (return None);
    #   halfway through one, they are a 400 and a 408 (RFC 9112 §9.5).
    if not conn.receive():  # one read, in the hope that it holds the whole head
        return None
    head, _, conn.buffer = conn.buffer.partition(b"\r\n\r\n")
    return head


def read_body(conn: Connection, length: int) -> bytes:
    """Exactly `length` bytes of body: first from the buffer, then from the socket."""
    # TODO: the body is the next `length` bytes (RFC 9112 §6.2): part may be in conn.buffer
    #   already, the rest needs conn.receive() until there is enough. Leave any bytes after
    #   it in conn.buffer (the next request). A client that closes first is a 400; one that
    #   goes quiet (TimeoutError) a 408.
    return b""


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
    # TODO: exactly three parts, separated by single spaces, each matching its grammar
    #   (TOKEN, TARGET and HTTP_VERSION, above); anything else is HTTPError(400, ...).
    #   What does this decode().split() accept that it shouldn't: two spaces? a tab?
    #   non-ASCII bytes? And what does it do with garbage?
    # TODO: HTTP/1.0 and HTTP/1.1 are served; another major version is a 505 (RFC 9110
    #   §15.6.6).
    method, target, version = line.decode().split(" ")
    return method, target, version


def parse_headers(lines: list[bytes]) -> list[tuple[str, str]]:
    """Parse `field-name ":" OWS field-value OWS` lines (RFC 9112 §5) into (name, value)."""
    # TODO: split each line at its first colon. The name must be a TOKEN right up to the
    #   colon: "Host : x", with a space before the colon, is a 400 (RFC 9112 §5.1), and so
    #   is a line with no colon or one that starts with whitespace (RFC 9112 §5.2).
    # TODO: strip spaces and tabs around the value, then check it against FIELD_VALUE (no
    #   CR, LF or NUL: RFC 9110 §5.5). Decode the value as latin-1, which maps every byte.
    # TODO: lower-case the name (names are case-insensitive, RFC 9110 §5.1) and keep the
    #   pairs in order: a name can come more than once.
    return []


def check_host(request: Request) -> None:
    """Refuse a request whose Host header is missing or repeated."""
    # TODO: RFC 9112 §3.2: 400 for an HTTP/1.1 request without a Host header, and for any
    #   request with more than one (request.values("host") lists them). HTTP/1.0 came
    #   before Host: there it may be missing.


def body_length(request: Request) -> int:
    """How many bytes of body follow the head (RFC 9112 §6.3). Raises HTTPError when the
    framing can't be trusted or isn't supported."""
    # TODO: RFC 9112 §6.3 decides, in this order:
    #   - Transfer-Encoding and Content-Length together: 400 (that's request smuggling);
    #     Transfer-Encoding alone: 501, as this server decodes no transfer coding;
    #   - no Content-Length: no body, 0;
    #   - Content-Length values (several lines, or "5, 5") that differ, or one that isn't
    #     all DIGITS: 400;
    #   - more than MAX_BODY: 413, without reading any of the body (RFC 9110 §15.5.14).
    return 0


################################################################
# One connection: requests in, responses out, until it closes
################################################################


def serve_requests(conn: Connection) -> None:
    """Answer the requests on one connection, in the order they come, until it should close."""
    # TODO: HTTP/1.1 connections persist (RFC 9112 §9.3): answer requests in a loop, in the
    #   order they come, until read_request() returns None or keep_alive() says to close
    #   (then tell the client: close=True). Pipelined requests (RFC 9112 §9.3.2) need
    #   nothing more, if read_head() and read_body() leave the next request's bytes alone.
    # TODO: a HEAD request gets the header fields GET would get and no body (RFC 9110
    #   §9.3.2): see send_response()'s head_only.
    # TODO: catch HTTPError from read_request(): answer with error.response(), with
    #   Connection: close, then return (the connection closes). Why not keep it open?
    request = read_request(conn)
    if request is not None:
        send_response(conn, app(request), close=True)


def keep_alive(request: Request) -> bool:
    """Whether the connection stays open after the response to this request."""
    # TODO: RFC 9112 §9.3: an HTTP/1.1 connection stays open unless the Connection header
    #   lists "close" (a comma-separated list of options, case-insensitive, RFC 9110
    #   §7.6.1); an HTTP/1.0 connection closes.
    return False


if __name__ == "__main__":
    main(serve_requests)
