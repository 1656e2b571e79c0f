"""The given half of the WSGI server: HTTP/1.1 on a socket, connections, and the command line.

Read it, no need to edit it (you built an HTTP layer like it in the http-server lab).
server.py, your half, turns each request into a WSGI environ and the app's answer into bytes:

- read_head() and parse_request(): a request head off the socket, checked (400, 431, 413),
  as a Request;
- response_head(), body_allowed() and send_error(): the bytes of a response head, and a short
  error answer;
- handle_connection(): one thread's connection, request after request, each answered by
  server.py's handle_request(); serve() accepts connections, and main() reads the command line.
"""

from __future__ import annotations

import argparse
import re
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import formatdate
from types import TracebackType
from typing import Any, BinaryIO

MAX_HEAD_BYTES = 8 * 1024  # request line + headers; more is refused with 431
MAX_BODY_BYTES = 1024 * 1024  # largest Content-Length accepted; more is refused with 413
IDLE_TIMEOUT = 5.0  # seconds a connection may stay silent (between requests, or mid-body)
SERVER_SOFTWARE = "onthewire-wsgi/1.0"

TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # methods, header names (RFC 9110 §5.6.2)
TARGET = re.compile(r"/[!-~]*")  # origin-form request target: "/" then visible ASCII
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # control characters, except tab
STATUS = re.compile(r"[1-9][0-9][0-9] [^\x00-\x1f\x7f]*")  # "200 OK": 3 digits, a space, a reason
# Headers about this one connection, which the server manages (RFC 2616 §13.5.1, cited by PEP 3333).
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
     "transfer-encoding", "upgrade"}
)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType]
Write = Callable[[bytes], None]
StartResponse = Callable[..., Write]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
# server.py's handle_request(app, request, rfile, sock, server_address, client_address):
# True when the connection may carry another request.
HandleRequest = Callable[[WSGIApp, "Request", BinaryIO, socket.socket, tuple[str, int], tuple[str, int]], bool]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class AppLoadError(Exception):
    """APP names nothing importable: main() prints this one line and exits with code 2."""


class HTTPError(Exception):
    """A request refused before any app sees it; answered with `status`, then the connection closes."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


@dataclass
class Request:
    """A parsed request head. Its body, if any, is still on the socket."""

    method: str
    target: str  # as sent: "/path?query", still percent-encoded
    version: str  # "HTTP/1.1" or "HTTP/1.0"
    headers: list[tuple[str, str]]  # in arrival order, names spelled as the client sent them
    content_length: int  # 0 when there is no body

    def header(self, name: str) -> str | None:
        """A header's value, a repeated header's values joined with ", "; None when absent."""
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        return ", ".join(values) if values else None

    @property
    def keep_alive(self) -> bool:
        """Whether the client wants to send another request on this connection (RFC 9112 §9.3)."""
        options = {option.strip().lower() for option in (self.header("Connection") or "").split(",")}
        if self.version == "HTTP/1.1":
            return "close" not in options
        return "keep-alive" in options  # HTTP/1.0 closes unless the client asks otherwise

    @property
    def expects_continue(self) -> bool:
        return self.version == "HTTP/1.1" and (self.header("Expect") or "").lower() == "100-continue"


def read_head(rfile: BinaryIO) -> bytes | None:
    """Read the request line and headers, up to the empty line; None if the client closed first."""
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        line = rfile.readline(MAX_HEAD_BYTES + 1 - len(head))
        if not line:
            if head:
                raise HTTPError("400 Bad Request")  # closed in the middle of a head
            return None
        if not head and line == b"\r\n":
            continue  # RFC 9112 §2.2: ignore empty lines before a request line
        head += line
        if len(head) > MAX_HEAD_BYTES:
            raise HTTPError("431 Request Header Fields Too Large")
        if not line.endswith(b"\r\n"):
            raise HTTPError("400 Bad Request")  # a bare LF, or the line never ended
    return head


def parse_request(head: bytes) -> Request:
    """Parse a request head (RFC 9112 §3, §5, §6); raise HTTPError for what this server refuses."""
    # latin-1 maps every byte to one character, so decoding can neither fail nor lose anything.
    request_line, *header_lines = head.decode("latin-1").split("\r\n")[:-2]
    parts = request_line.split(" ")
    if len(parts) != 3:
        raise HTTPError("400 Bad Request")
    method, target, version = parts
    if not TOKEN.fullmatch(method) or not TARGET.fullmatch(target):
        raise HTTPError("400 Bad Request")
    if not re.fullmatch(r"HTTP/[0-9]\.[0-9]", version):
        raise HTTPError("400 Bad Request")
    if version not in ("HTTP/1.0", "HTTP/1.1"):
        raise HTTPError("505 HTTP Version Not Supported")

    headers = []
    for line in header_lines:
        name, colon, value = line.partition(":")
        # No space before the colon, no continuation lines (RFC 9112 §5.1, §5.2).
        if not colon or not TOKEN.fullmatch(name):
            raise HTTPError("400 Bad Request")
        value = value.strip(" \t")
        if CONTROL.search(value):
            raise HTTPError("400 Bad Request")
        headers.append((name, value))
    request = Request(method, target, version, headers, 0)

    if version == "HTTP/1.1" and request.header("Host") is None:
        raise HTTPError("400 Bad Request")  # RFC 9112 §3.2: HTTP/1.1 requests must name the host
    if request.header("Transfer-Encoding") is not None:
        raise HTTPError("501 Not Implemented")  # this server reads Content-Length bodies only
    lengths = {value for key, value in headers if key.lower() == "content-length"}
    if len(lengths) > 1 or not all(re.fullmatch(r"[0-9]+", value) for value in lengths):
        raise HTTPError("400 Bad Request")
    request.content_length = int(lengths.pop()) if lengths else 0
    if request.content_length > MAX_BODY_BYTES:
        raise HTTPError("413 Content Too Large")
    return request


class ClientGone(Exception):
    """Sending failed: the client closed the connection (or stopped reading) mid-response."""


def response_head(status: str, headers: list[tuple[str, str]]) -> bytes:
    """The status line and header block, plus the Date and Server headers a server adds."""
    names = {name.lower() for name, _ in headers}
    if "date" not in names:
        headers = [*headers, ("Date", formatdate(usegmt=True))]  # RFC 9110 §6.6.1
    if "server" not in names:
        headers = [*headers, ("Server", SERVER_SOFTWARE)]
    lines = [f"HTTP/1.1 {status}", *(f"{name}: {value}" for name, value in headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def body_allowed(method: str, status: str) -> bool:
    """False for responses that never have a body: to HEAD, 1xx, 204 and 304 (RFC 9110 §6.4.1)."""
    code = int(status[:3])
    return method != "HEAD" and code >= 200 and code not in (204, 304)


def send_error(sock: socket.socket, status: str) -> None:
    """A short plain-text error response, after which the connection closes."""
    body = f"{status}\n".encode()
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
               ("Connection", "close")]
    try:
        sock.sendall(response_head(status, headers) + body)
    except OSError:
        pass  # the client is gone already


def handle_connection(app: WSGIApp, handle_request: HandleRequest, sock: socket.socket,
                      client_address: tuple[str, int]) -> None:
    """Serve one connection: read a request, answer it, and repeat while it stays open."""
    sock.settimeout(IDLE_TIMEOUT)  # a silent client is dropped after this long
    server_address = sock.getsockname()[:2]
    with sock, sock.makefile("rb") as rfile:
        while True:
            try:
                head = read_head(rfile)
                if head is None:
                    return  # the client closed the connection between requests
                request = parse_request(head)
                if request.expects_continue:
                    # PEP 3333 "HTTP 1.1 Expect/Continue": of the ways allowed, the simplest:
                    # tell the client at once to go ahead and send its body.
                    sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            except HTTPError as e:
                send_error(sock, e.status)
                return
            except OSError:
                return  # idle for too long, or the connection was reset
            if not handle_request(app, request, rfile, sock, server_address, client_address):
                return


def serve(app: WSGIApp, handle_request: HandleRequest, host: str, port: int, name: str) -> None:
    """Accept connections until stopped, one thread each (so wsgi.multithread is True)."""
    with socket.create_server((host, port)) as listener:
        log(f"Serving {name} on http://{host}:{port} (Ctrl-C stops)")
        while True:
            sock, client_address = listener.accept()
            threading.Thread(target=handle_connection, args=(app, handle_request, sock, client_address), daemon=True).start()


def main(load_app: Callable[[str], WSGIApp], handle_request: HandleRequest, argv: list[str] | None = None) -> int:
    """The command line: load the app with `load_app` and serve it; the exit code."""
    parser = argparse.ArgumentParser(description="Serve a WSGI app (PEP 3333) over HTTP/1.1.")
    parser.add_argument("app", metavar="APP", help="the app as module:attribute, like hello:app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    try:
        app = load_app(args.app)
    except AppLoadError as e:
        print(f"server.py: {e}", file=sys.stderr)
        return 2
    try:
        serve(app, handle_request, args.host, args.port, args.app)
    except OSError as e:
        print(f"server.py: cannot listen on {args.host}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0
