"""The given half of the HTTP/1.1 server: the socket, the threads, a tiny app, writing responses.

Read it, no need to edit it. server.py, your half, reads and parses each request: here is
what it reads from (Connection), what it makes (Request) or raises (HTTPError), and what
answers a Request (app(), send_response()); handle_connection() runs server.py's
serve_requests() for each connection, in a thread of its own, and closes it gracefully.
"""

from __future__ import annotations

import argparse
import contextlib
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate

# Seconds to wait for a silent client before giving up on it (set it with --timeout).
DEFAULT_TIMEOUT = 10.0


################################################################
# Requests, responses and refusals
################################################################


@dataclass
class Request:
    method: str
    target: str
    version: str  # "HTTP/1.1" or "HTTP/1.0"
    headers: list[tuple[str, str]]  # (lower-case name, value), in the order they came
    body: bytes = b""

    def values(self, name: str) -> list[str]:
        """Every value sent for the header `name` (give it in lower case)."""
        return [value for key, value in self.headers if key == name]


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)


REASONS = {
    200: "OK",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    413: "Content Too Large",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
    505: "HTTP Version Not Supported",
}


def text_response(status: int, text: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, text.encode(), [("Content-Type", "text/plain; charset=utf-8"), *(headers or [])])


class HTTPError(Exception):
    """A request the server refuses. Raise it anywhere while a request is being read:
    serve_requests() answers with `status`, says Connection: close, and closes."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason

    def response(self) -> Response:
        return text_response(self.status, f"{self.status} {REASONS[self.status]}: {self.reason}\n")


################################################################
# Reading bytes: the socket, and what it has received
################################################################


class Connection:
    """One client's socket, plus the bytes received from it and not used yet.

    TCP delivers a stream of bytes, not messages: one recv() may hold half a request, or
    a request and the start of the next. `buffer` keeps what has arrived; reading a
    request consumes bytes from its front and leaves the rest for the next one.
    """

    def __init__(self, sock: socket.socket, peer: str, timeout: float) -> None:
        self.sock = sock
        self.peer = peer
        self.buffer = b""
        sock.settimeout(timeout)  # every recv() and send gives up after `timeout` seconds

    def receive(self) -> bool:
        """Wait for more bytes and append them to `buffer`. Returns False once the client has
        closed its side; raises TimeoutError after `timeout` seconds of silence."""
        chunk = self.sock.recv(64 * 1024)
        self.buffer += chunk
        return chunk != b""

    def log(self, message: str) -> None:
        print(f"{self.peer}  {message}", flush=True)


ServeRequests = Callable[["Connection"], None]  # server.py's serve_requests()


################################################################
# The application: what this server says
################################################################


# The methods this server knows of (RFC 9110 §9, and PATCH from RFC 5789). A method it has
# never heard of gets 501 (RFC 9110 §9.1); a known one that a path doesn't allow gets 405,
# which MUST list what is allowed in an Allow header (RFC 9110 §15.5.6).
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}


ROUTES = {"/": ("GET", "HEAD"), "/echo": ("GET", "HEAD", "POST")}


def app(request: Request) -> Response:
    """Answer one parsed request. It knows nothing about sockets: a Request in, a Response out."""
    path = request.target.partition("?")[0]
    if request.method not in KNOWN_METHODS:
        return text_response(501, f"{request.method} is not a method this server knows\n")
    if path not in ROUTES:
        return text_response(404, f"Nothing here: {path}\n")
    allowed = ", ".join(ROUTES[path])
    if request.method not in ROUTES[path]:
        return text_response(405, f"{path} allows {allowed}\n", [("Allow", allowed)])
    if path == "/":
        return text_response(200, "Hello, world!\n")
    if request.method == "POST":
        content_type = (request.values("content-type") or ["application/octet-stream"])[0]
        return Response(200, request.body, [("Content-Type", content_type)])
    return text_response(200, describe(request))


def describe(request: Request) -> str:
    """GET /echo's answer: what the server parsed from the request."""
    lines = [
        f"method: {request.method}",
        f"target: {request.target}",
        f"version: {request.version}",
        f"headers: {len(request.headers)}",
        *(f"{name}: {value}" for name, value in request.headers),
    ]
    return "\n".join(lines) + "\n"


################################################################
# Writing responses
################################################################


def send_response(conn: Connection, response: Response, *,
                  head_only: bool = False, close: bool = False) -> None:
    """Write one response: status line, header fields, empty line, body.

    Every response says how long its body is (Content-Length), so the client knows where
    it ends without waiting for a close (RFC 9112 §6.3). `close=True` adds Connection:
    close, the promise that this is the last response on the connection (RFC 9112 §9.6).
    `head_only=True` leaves the body out, for HEAD, but keeps its Content-Length (RFC 9110
    §9.3.2).
    """
    reason = REASONS[response.status]
    lines = [
        f"HTTP/1.1 {response.status} {reason}",
        f"Date: {formatdate(usegmt=True)}",  # RFC 9110 §6.6.1: servers with a clock send it
        f"Content-Length: {len(response.body)}",
        *(f"{name}: {value}" for name, value in response.headers),
    ]
    if close:
        lines.append("Connection: close")
    head = "\r\n".join(lines).encode("latin-1") + b"\r\n\r\n"
    conn.sock.sendall(head if head_only else head + response.body)
    conn.log(f"<- {response.status} {reason}" + (", closing" if close else ""))


################################################################
# One connection, in a thread of its own; listening
################################################################


def handle_connection(serve_requests: ServeRequests, sock: socket.socket, peer: str, timeout: float) -> None:
    """Serve one client from start to finish. It runs in a thread of its own, so a slow or
    stalled client only ever holds up itself."""
    conn = Connection(sock, peer, timeout)
    try:
        serve_requests(conn)
    except OSError:
        pass  # the client vanished (reset, broken pipe, stopped reading): no one to answer
    except Exception:
        # A bug in this file must cost one connection, never the server: print it, say 500.
        traceback.print_exc()
        with contextlib.suppress(OSError):
            oops = text_response(500, "500 Internal Server Error: see the server's output\n")
            send_response(conn, oops, close=True)
    finally:
        close_gracefully(sock)


def close_gracefully(sock: socket.socket) -> None:
    """Close in two steps (RFC 9112 §9.6): stop sending, then read and drop whatever the client
    still sends, for up to a second. Closing a socket that has unread bytes makes the kernel
    send a reset (RST), which can destroy the last response before the client reads it."""
    try:
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(1.0)
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline and sock.recv(64 * 1024):
            pass
    except OSError:
        pass
    finally:
        sock.close()


def serve(serve_requests: ServeRequests, host: str, port: int, timeout: float) -> None:
    """Accept connections for ever, and give each its own thread."""
    with socket.create_server((host, port)) as listener:
        print(f"Serving HTTP on http://{host}:{port} (timeout {timeout:g} s)", flush=True)
        while True:
            sock, address = listener.accept()
            peer = f"{address[0]}:{address[1]}"
            # daemon=True: when the server stops, it doesn't wait for these threads.
            threading.Thread(target=handle_connection, args=(serve_requests, sock, peer, timeout), daemon=True).start()


def main(serve_requests: ServeRequests) -> None:
    """The command line: serve each connection with server.py's serve_requests()."""
    parser = argparse.ArgumentParser(description="A small HTTP/1.1 server on a raw socket.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                        help="seconds a silent client is waited for (default: %(default)g)")
    args = parser.parse_args()
    try:
        serve(serve_requests, args.host, args.port, args.timeout)
    except KeyboardInterrupt:
        pass  # Ctrl-C: stop quietly
