"""A WSGI server: serves any WSGI application (PEP 3333) over HTTP/1.1, as gunicorn does.

    python server.py [--host 127.0.0.1] [--port 8080] module:attr

The file reads in the order a request travels: 1. the command line names the app as
module:attr, and we import it; 2. the body waits on the socket behind wsgi.input; 3. the
request becomes a WSGI environ; 4. the app's start_response, write and body go out; 5. the app
is called, and its errors answered. The HTTP layer is given in http_plumbing.py (you built one
like it in the http-server lab): it reads and checks each request head and runs the connections.

The WSGI half is this file, the part the lab asks you to write; its comments name the section
of PEP 3333 that sets each rule: https://peps.python.org/pep-3333/
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
    # A wrong APP is a mistake in the command line, not a crash of the server: say what is
    # wrong in one line, like any command does for bad arguments. (An exception raised by
    # the module's own code, a bug in the app, keeps its traceback: that is where it helps.)
    if not module_name or not attr:
        raise AppLoadError(f"APP must be module:attribute, like hello:app, not {spec!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise AppLoadError(f"cannot import {module_name!r} for APP {spec!r}: {e}") from None
    app = getattr(module, attr, None)
    if app is None:
        raise AppLoadError(f"module {module_name!r} has no attribute {attr!r} (APP {spec!r})")
    # "The Application/Framework Side": an app is any callable taking (environ, start_response).
    if not callable(app):
        raise AppLoadError(f"{spec} is a {type(app).__name__}, not a callable WSGI app")
    return app


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
        # The socket does not end where the body does: the client's next request follows
        # right after it. A read past CONTENT_LENGTH would swallow that request, or wait for
        # bytes that never come. PEP 3333 lets apps call read() with no size and expects the
        # server to end the stream at the body's end, so the limit is enforced here.
        if size is None or size < 0:
            return self.remaining
        return min(size, self.remaining)

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
        # An app may stop reading early (PEP 3333 only forbids reading *more* than
        # CONTENT_LENGTH), but the client sent the whole body. On a keep-alive connection the
        # next request starts after the body's last byte: skip to it.
        while self.remaining > 0 and self.read(64 * 1024):
            pass


# --- 3. The environ ---------------------------------------------------------------------------
def build_environ(
    request: Request, body: RequestBody, server_address: tuple[str, int], client_address: tuple[str, int]
) -> dict[str, Any]:
    """The WSGI environ for one request (PEP 3333 "environ Variables")."""
    path, _, query = request.target.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        # The app is mounted at the root: SCRIPT_NAME (where the app is mounted) is empty and
        # PATH_INFO is the whole path; together they rebuild the URL ("URL Reconstruction").
        "SCRIPT_NAME": "",
        # PATH_INFO is percent-decoded, as in CGI, but stays bytes in disguise: "/caf%C3%A9" is
        # the bytes 2f 63 61 66 c3 a9, handed over as "/cafÃ©", one latin-1 character per
        # byte ("Unicode Issues"). Only the app knows which encoding to decode them with.
        "PATH_INFO": unquote_to_bytes(path.encode("latin-1")).decode("latin-1"),
        # The query string is passed as sent: splitting and decoding it is the app's job (a
        # decoded %26 would become an & that splits a value in two).
        "QUERY_STRING": query,
        "SERVER_NAME": server_address[0],
        "SERVER_PORT": str(server_address[1]),
        "SERVER_PROTOCOL": request.version,
        "SERVER_SOFTWARE": SERVER_SOFTWARE,
        "REMOTE_ADDR": client_address[0],
        "REMOTE_PORT": str(client_address[1]),
        # WSGI 1.0 (PEP 3333 updated PEP 333 without changing the version) over plain http.
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        # One thread per connection, one process, running until stopped: frameworks read these
        # to decide what to lock and what they may cache between requests.
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    # CGI's two exceptions: the body's type and length go without the HTTP_ prefix.
    if request.header("Content-Type") is not None:
        environ["CONTENT_TYPE"] = request.header("Content-Type")
    if request.header("Content-Length") is not None:
        environ["CONTENT_LENGTH"] = str(request.content_length)
    for name, value in request.headers:
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            continue
        if "_" in name:
            # X_Forwarded_For and X-Forwarded-For would both become HTTP_X_FORWARDED_FOR: drop
            # the underscore spelling so one can't pass for the other (nginx and gunicorn do too).
            continue
        key = "HTTP_" + key
        # A repeated header is one comma-separated list (RFC 9110 §5.3), and an environ key
        # holds one str: join them.
        environ[key] = f"{environ[key]}, {value}" if key in environ else value
    return environ


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
        if exc_info is not None:
            # The app caught an error and wants to send an error page instead.
            try:
                if self.headers_sent:
                    # Too late: the client already has a status. Re-raising the app's own
                    # exception is what the PEP requires; the server then aborts the connection.
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None  # the PEP's advice: don't keep a traceback (and its frames) alive
        elif self.status is not None:
            # Only a call with exc_info may replace the status and headers already given.
            raise AssertionError("start_response() called a second time without exc_info")

        # Check everything now, while a 500 can still be sent. A str body or status is the
        # app's bug; a CR or LF in a header value would let whoever controls the value (often
        # a URL parameter) inject headers of their own: response splitting.
        if type(status) is not str or not STATUS.fullmatch(status):
            raise ValueError(f"status {status!r} is not like '200 OK': three digits, a space, a reason")
        if type(headers) is not list:
            raise TypeError(f"response headers must be a list of (name, value) tuples, not {type(headers).__name__}")
        for header in headers:
            if type(header) is not tuple or len(header) != 2 or not all(type(part) is str for part in header):
                raise TypeError(f"header {header!r} is not a (name, value) tuple of two str")
            name, value = header
            if not TOKEN.fullmatch(name):
                raise ValueError(f"header name {name!r} is not a valid token")
            if CONTROL.search(value):
                raise ValueError(f"header {name}: {value!r} contains a control character (CR/LF?)")
            if name.lower() in HOP_BY_HOP:
                raise ValueError(f"{name} is a hop-by-hop header: the server, not the app, manages the connection")
            value.encode("latin-1")  # "Unicode Issues": headers must be latin-1; raises if not
        self.status, self.headers = status, list(headers)
        return self.write

    def write(self, data: bytes) -> None:
        """The write() callable start_response returns, for apps that push their body."""
        # PEP 3333 "The write() Callable": the imperative way to send the body (older apps use
        # it). The data must be on its way before write() returns, framed exactly like the
        # iterable's chunks, which is what send_body() does.
        self.send_body(data)

    def send_body(self, data: bytes) -> None:
        """Send one piece of the body: a chunk of the app's iterable, or a write() call."""
        # "Unicode Issues": the body is bytes. A str would need an encoding only the app knows.
        if type(data) is not bytes:
            raise TypeError(f"the app gave a {type(data).__name__} as body: WSGI bodies are bytes")
        # "The start_response() Callable": headers go out with the first *non-empty* piece of
        # body. Until then the app may still replace them (start_response with exc_info).
        if not data:
            return
        if not self.headers_sent:
            self.send_headers()
        if not self.has_body:
            return  # a response to HEAD, or a 204/304: headers only
        if self.content_length is not None:
            # "Handling the Content-Length Header": never send more than the app promised; the
            # extra bytes would be read as the start of the next response.
            data = data[: self.content_length - self.sent]
        if self.chunked:
            # A chunk is its size in hex, CRLF, the bytes, CRLF (RFC 9112 §7.1). Empty pieces
            # were skipped above: a chunk of size 0 means "end of body".
            self.send(b"%x\r\n%s\r\n" % (len(data), data))
        elif data:
            self.send(data)
        self.sent += len(data)

    def send_headers(self) -> None:
        """Send the status line and headers, choosing how the client will find the body's end."""
        headers = list(self.headers)
        if self.status is None:
            raise AssertionError("the app returned its body without calling start_response()")
        self.has_body = body_allowed(self.request.method, self.status)
        length = next((value for name, value in headers if name.lower() == "content-length"), None)
        # "Handling the Content-Length Header": the body's end must be findable by the client.
        if length is not None:
            if not re.fullmatch(r"[0-9]+", length):
                raise ValueError(f"the app's Content-Length {length!r} is not a number")
            self.content_length = int(length)  # the app knows the length: hold it to it
        elif not self.has_body:
            pass  # no body, nothing to frame
        elif self.request.version == "HTTP/1.1":
            # Unknown length, HTTP/1.1 client: chunked encoding marks the end inside the
            # stream, so the connection stays usable for the next request.
            headers.append(("Transfer-Encoding", "chunked"))
            self.chunked = True
        else:
            # An HTTP/1.0 client knows no chunked encoding: closing the connection ends the body.
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
        if self.chunked:
            self.send(b"0\r\n\r\n")  # the last chunk: size 0, then no trailers
        elif self.has_body and self.content_length is not None and self.sent < self.content_length:
            # The app gave less than its Content-Length. The client waits for the rest; closing
            # the connection is the only way left to tell it that nothing more will come.
            self.keep_alive = False


# --- 5. Calling the app -----------------------------------------------------------------------
def run_app(app: WSGIApp, environ: dict[str, Any], response: Response) -> None:
    """Call the app and send the body it returns."""
    result = app(environ, response.start_response)
    try:
        # "Buffering and Streaming": send each piece as the app yields it. Joining them first
        # would hold a whole (maybe endless) body in memory and delay every byte of it.
        for chunk in result:
            response.send_body(chunk)
        response.finish()
    finally:
        # "Specification Details": if the iterable has close(), the server must call it at the
        # end of the request, whether it completed, failed, or the client went away. Apps
        # release files, locks and database connections there (Django does). It is the
        # returned object's close(), not its iterator's.
        close = getattr(result, "close", None)
        if close is not None:
            close()


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
    except Exception:
        # PEP 3333 "Error Handling": the app failed. The traceback is for whoever runs the
        # server (stderr, where you will look); never for the client, who may be a stranger
        # looking for your file paths and code.
        log(f'{client_address[0]} "{request.method} {request.target} {request.version}" app error:')
        traceback.print_exc()
        if not response.headers_sent:
            send_error(sock, "500 Internal Server Error")
        # Otherwise the client already has a status and part of a body: cutting the connection
        # before the body's end (no last chunk, or too few bytes) is the only way to tell it
        # the response is broken.
        return False
    log(f'{client_address[0]} "{request.method} {request.target} {request.version}" {response.status}')
    try:
        body.drain()
    except OSError:
        return False  # the client stopped sending mid-body
    return response.keep_alive


if __name__ == "__main__":
    sys.exit(main(load_app, handle_request))
