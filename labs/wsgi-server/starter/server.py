"""A WSGI server: serves any WSGI application (PEP 3333) over HTTP/1.1, as gunicorn does.

    python server.py [--host 127.0.0.1] [--port 8080] module:attr

The file reads in the order a request travels: 1. the command line names the app as
module:attr, and we import it; 2. the body waits on the socket behind wsgi.input; 3. the
request becomes a WSGI environ; 4. the app's start_response, write and body go out; 5. the app
is called, and its errors answered. The HTTP layer is given in http_plumbing.py (you built one
like it in the http-server lab): it reads and checks each request head and runs the connections.

The WSGI half is this file, yours to write: look for the TODO marks. Each names the section of
PEP 3333 that sets the rule: https://peps.python.org/pep-3333/
"""

from __future__ import annotations

import importlib
import re
import socket
import sys
import traceback
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO
from urllib.parse import unquote_to_bytes

# Given: the HTTP/1.1 layer, the connections and the command line.
from http_plumbing import (CONTROL, HOP_BY_HOP, SERVER_SOFTWARE, STATUS, TOKEN, AppLoadError, ClientGone,
                           ExcInfo, Request, WSGIApp, Write, body_allowed, log, main, response_head, send_error)


# --- 1. Loading the app ----------------------------------------------------------------------
def load_app(spec: str) -> WSGIApp:
    """Import the WSGI callable named by `module:attr` (the same notation as gunicorn's)."""
    module_name, _, attr = spec.partition(":")
    # TODO: an APP that names no callable is a mistake on the command line, said in one line,
    # not a crash with a traceback (README step 1; PEP 3333 "The Application/Framework Side").
    return getattr(importlib.import_module(module_name), attr)


# --- 2. The body: wsgi.input ------------------------------------------------------------------
class RequestBody:
    """wsgi.input: the request body, read straight from the socket, as a file that ends where
    the body ends.

    PEP 3333 "Input and Error Streams" lists what an app may call: read(size), readline(size),
    readlines(hint) and iteration. Every one of them goes through _allowed().
    """

    def __init__(self, rfile: BinaryIO, length: int) -> None:
        self._rfile = rfile
        self.remaining = length  # body bytes not read yet

    def _allowed(self, size: int | None) -> int:
        """How many bytes a read that asks for `size` may take (None or negative: all)."""
        # TODO: the stream ends where the body ends, whatever size the app asks for, "all"
        # included (PEP 3333 "Input and Error Streams").
        return -1 if size is None else size

    def read(self, size: int | None = -1) -> bytes:
        n = self._allowed(size)
        data = self._rfile.read(n) if n else b""
        self.remaining -= len(data)
        return data

    def readline(self, size: int | None = -1) -> bytes:
        n = self._allowed(size)
        line = self._rfile.readline(n) if n else b""
        self.remaining -= len(line)
        return line

    def readlines(self, hint: int = -1) -> list[bytes]:
        lines: list[bytes] = []
        total = 0
        for line in self:
            lines.append(line)
            total += len(line)
            if 0 < hint <= total:
                break
        return lines

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def drain(self) -> None:
        """Read and drop whatever the app left unread."""
        # TODO: after the response, the next request on the connection must find the socket
        # right after this body's last byte, however much of it the app read.


# --- 3. The environ ---------------------------------------------------------------------------
def build_environ(
    request: Request, body: RequestBody, server_address: tuple[str, int], client_address: tuple[str, int]
) -> dict[str, Any]:
    """The WSGI environ for one request (PEP 3333 "environ Variables")."""
    # TODO: this is just enough for hello.py. The environ holds every key PEP 3333 "environ
    # Variables" requires, each as it says (PATH_INFO: "Unicode Issues"; README step 2).
    return {
        "REQUEST_METHOD": request.method,
        "PATH_INFO": request.target,
        "wsgi.input": body,
    }


# --- 4. The response: start_response, write and the body -------------------------------------
class Response:
    """One response on its way out: what start_response was given, and what has been sent."""

    def __init__(self, sock: socket.socket, request: Request) -> None:
        self.sock = sock
        self.request = request
        self.status: str | None = None  # set by start_response
        self.headers: list[tuple[str, str]] = []
        self.headers_sent = False
        self.keep_alive = request.keep_alive  # may turn False once the framing is chosen
        self.has_body = True  # False for HEAD, 204, 304
        self.chunked = False
        self.content_length: int | None = None  # the app's Content-Length, when it gave one
        self.sent = 0  # body bytes sent so far

    def send(self, data: bytes) -> None:
        """Put bytes on the wire. A client that went away becomes ClientGone."""
        try:
            self.sock.sendall(data)
        except OSError as e:
            raise ClientGone(str(e)) from e

    def start_response(
        self, status: str, headers: list[tuple[str, str]], exc_info: ExcInfo | None = None
    ) -> Write:
        """The start_response callable passed to the app (PEP 3333 "The start_response() Callable")."""
        # TODO: a second call replaces the response only with exc_info, and only while no
        # header is sent (PEP 3333 "The start_response() Callable").
        # TODO: a status or header the client must never see is refused here, while a 500
        # can still be sent (same section; README step 4).
        self.status, self.headers = status, list(headers)
        return self.write

    def write(self, data: bytes) -> None:
        """The write() callable start_response returns, for apps that push their body."""
        # TODO: PEP 3333 "The write() Callable": the bytes are on their way before it returns.
        raise NotImplementedError("write() is a TODO in server.py")

    def send_body(self, data: bytes) -> None:
        """Send one piece of the body: a chunk of the app's iterable, or a write() call."""
        # TODO: only bytes are a body; the headers go out with the first non-empty piece; each
        # piece goes out framed as send_headers() chose, and a response that has no body
        # sends none (PEP 3333 "The start_response() Callable", "Buffering and Streaming").
        if not self.headers_sent:
            self.send_headers()
        self.send(data)

    def send_headers(self) -> None:
        """Send the status line and headers, choosing how the client will find the body's end."""
        headers = list(self.headers)
        # TODO: the client must be able to find the body's end, and the connection survive it
        # whenever the client's HTTP version allows (PEP 3333 "Handling the Content-Length
        # Header"). For now, a body without a Content-Length ends by closing the connection.
        if not any(name.lower() == "content-length" for name, _ in headers):
            self.keep_alive = False
        if not self.keep_alive:
            headers.append(("Connection", "close"))
        elif self.request.version == "HTTP/1.0":
            headers.append(("Connection", "keep-alive"))  # HTTP/1.0 keeps it only if both say so
        self.send(response_head(self.status, headers))
        self.headers_sent = True

    def finish(self) -> None:
        """The app's body is complete: send the headers if no body did, and mark the end."""
        if not self.headers_sent:
            self.send_headers()
        # TODO: the client must learn here that the body is complete (RFC 9112 §7.1), or, if
        # it fell short of its Content-Length, that it never will be.


# --- 5. Calling the app -----------------------------------------------------------------------
def run_app(app: WSGIApp, environ: dict[str, Any], response: Response) -> None:
    """Call the app and send the body it returns."""
    result = app(environ, response.start_response)
    # TODO: each piece reaches the client before the app makes the next (PEP 3333 "Buffering
    # and Streaming"), and the returned object's close(), if it has one, runs however the
    # response ended ("Specification Details").
    response.send_body(b"".join(result))
    response.finish()


def handle_request(
    app: WSGIApp,
    request: Request,
    rfile: BinaryIO,
    sock: socket.socket,
    server_address: tuple[str, int],
    client_address: tuple[str, int],
) -> bool:
    """Answer one request with the app. True when the connection may carry another request."""
    body = RequestBody(rfile, request.content_length)
    environ = build_environ(request, body, server_address, client_address)
    response = Response(sock, request)
    try:
        run_app(app, environ, response)
    except ClientGone:
        log(f'{client_address[0]} "{request.method} {request.target} {request.version}" client went away')
        return False
    # TODO: an app that raises costs one response, never the server, and its traceback is
    # for the server's output, never the client (PEP 3333 "Error Handling"). For now an app
    # error kills this connection's thread.
    log(f'{client_address[0]} "{request.method} {request.target} {request.version}" {response.status}')
    try:
        body.drain()
    except OSError:
        return False  # the client stopped sending mid-body
    return response.keep_alive


if __name__ == "__main__":
    sys.exit(main(load_app, handle_request))
