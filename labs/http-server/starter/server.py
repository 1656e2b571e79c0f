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
    # TODO: the head is everything before the first empty line, however many reads it
    #   takes to arrive; the bytes after that line belong to what comes next (RFC 9112 §2.1).
    # TODO: a head longer than MAX_HEAD is a 431, known without buffering more (RFC 6585
    #   §5); LF LF, which never ends a head here, is a 400 at once (RFC 9112 §2.2).
    # TODO: a client that closes or goes quiet before a head has begun ends the connection
    #   without a word; halfway through one, it gets a 400 or a 408 (RFC 9112 §9.5).
    if not conn.receive():  # one read, in the hope that it holds the whole head
        return None
    head, _, conn.buffer = conn.buffer.partition(b"\r\n\r\n")
    return head


def read_body(conn: Connection, length: int) -> bytes:
    """Exactly `length` bytes of body: first from the buffer, then from the socket."""
    # TODO: the body is exactly the next `length` bytes, wherever they are now, and not one
    #   more (RFC 9112 §6.2). A body cut short by a close is a 400, by silence a 408.
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
    # TODO: only three parts, one space apart, each as the grammar above says, is a
    #   request line; anything else is a 400 (RFC 9112 §3). HTTP/1.x is served, another
    #   major version is a 505 (RFC 9110 §15.6.6).
    method, target, version = line.decode().split(" ")
    return method, target, version


def parse_headers(lines: list[bytes]) -> list[tuple[str, str]]:
    """Parse `field-name ":" OWS field-value OWS` lines (RFC 9112 §5) into (name, value)."""
    # TODO: a field line is a token name right up to the colon (RFC 9112 §5.1, no folded
    #   lines: §5.2), then a value without the whitespace around it and without control
    #   bytes (RFC 9110 §5.5); any other line is a 400.
    # TODO: names are case-insensitive (RFC 9110 §5.1) and may repeat, in order.
    return []


def check_host(request: Request) -> None:
    """Refuse a request whose Host header is missing or repeated."""
    # TODO: an HTTP/1.1 request has exactly one Host header, an HTTP/1.0 one at most one;
    #   anything else is a 400 (RFC 9112 §3.2).


def body_length(request: Request) -> int:
    """How many bytes of body follow the head (RFC 9112 §6.3). Raises HTTPError when the
    framing can't be trusted or isn't supported."""
    # TODO: RFC 9112 §6.3, in its order: framing that can't be trusted is a 400, framing
    #   this server doesn't decode a 501; a body over MAX_BODY is a 413 before any of it is
    #   read (RFC 9110 §15.5.14); no Content-Length, no body.
    return 0


################################################################
# One connection: requests in, responses out, until it closes
################################################################


def serve_requests(conn: Connection) -> None:
    """Answer the requests on one connection, in the order they come, until it should close."""
    # TODO: every request on the connection is answered, in the order sent, until there
    #   are no more or the last response said it would close (RFC 9112 §9.3, §9.3.2).
    # TODO: a HEAD gets the header fields GET would get, and no body (RFC 9110 §9.3.2).
    # TODO: a refused request (HTTPError) gets its error response, as the last one on the
    #   connection (RFC 9112 §9.6). Why can't the connection go on?
    request = read_request(conn)
    if request is not None:
        send_response(conn, app(request), close=True)


def keep_alive(request: Request) -> bool:
    """Whether the connection stays open after the response to this request."""
    # TODO: an HTTP/1.1 connection outlives its response unless the client's Connection
    #   options include "close"; an HTTP/1.0 one doesn't (RFC 9112 §9.3, RFC 9110 §7.6.1).
    return False


if __name__ == "__main__":
    main(serve_requests)
