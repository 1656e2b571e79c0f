"""Call a WSGI application by hand: no server, no socket, only a function call.

For every request a WSGI server does three things (PEP 3333, "The Server/Gateway Side"):
it builds an `environ` dict, calls the app with it and a `start_response` callable, then
iterates over what the app returned and calls its close(). This file does exactly that,
which shows that a WSGI "application" is nothing more than a callable.

Run it:  python by_hand.py
Try:     greet someone else (PATH_INFO "/ada"); return a str instead of bytes from `app`
         and read the error; call start_response twice.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Environ = dict[str, Any]
Headers = list[tuple[str, str]]


# --- The application ----------------------------------------------------------------------

# --8<-- [start:app]
def app(environ: Environ, start_response: Callable) -> Iterable[bytes]:
    """The smallest useful WSGI app: greets whoever the path names."""
    name = environ["PATH_INFO"].strip("/") or "world"
    body = f"Hello, {name}!\n".encode("utf-8")  # the body is bytes, never str
    # Status and headers are str; the status has a code and a reason phrase.
    start_response("200 OK", [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
    ])
    return [body]  # any iterable of bytes: a list, a generator...
# --8<-- [end:app]


# --- The server's side: build an environ ---------------------------------------------------

# --8<-- [start:environ]
def make_environ(
    path: str = "/",
    method: str = "GET",
    query: str = "",
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> Environ:
    """The environ a server would build for one request."""
    environ: Environ = {
        # CGI variables: all str, even the port.
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",        # where the app is mounted: "" is the root
        "PATH_INFO": path,        # the rest of the path, percent-decoded
        "QUERY_STRING": query,    # after the "?", still percent-encoded
        "SERVER_NAME": "example.org",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "example.org",
        # The wsgi.* keys: what CGI did not have.
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),  # the request body, as bytes
        "wsgi.errors": sys.stderr,       # a text stream for error output
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if body:
        environ["CONTENT_LENGTH"] = str(len(body))
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        # Content-Type and Content-Length keep their CGI names: no HTTP_.
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = f"HTTP_{key}"
        environ[key] = value
    return environ
# --8<-- [end:environ]


# --- The server's side: call the app, collect the response ---------------------------------

@dataclass
class Response:
    status: str
    headers: Headers
    body: bytes


# --8<-- [start:call]
def call(app: Callable, environ: Environ) -> Response:
    """Do what a server does with an app, but keep the response."""
    started: dict[str, Any] = {}
    chunks: list[bytes] = []

    def start_response(status, headers, exc_info=None):
        # A second call needs exc_info: it replaces the response after an
        # error. Nothing is sent until the end here, so it always may.
        if started and exc_info is None:
            raise AssertionError("start_response called twice without exc_info")
        started.update(status=status, headers=headers)
        return chunks.append  # the legacy write() callable

    result = app(environ, start_response)
    try:
        for chunk in result:  # a generator app only starts running here
            if not isinstance(chunk, bytes):
                raise TypeError(f"the app yielded {chunk!r}, not bytes")
            chunks.append(chunk)
    finally:
        # The server owes the iterable a close() call, whatever happened.
        if hasattr(result, "close"):
            result.close()
    return Response(started["status"], started["headers"], b"".join(chunks))
# --8<-- [end:call]


if __name__ == "__main__":
    # --8<-- [start:main]
    response = call(app, make_environ("/ada"))
    print("status: ", response.status)
    for name, value in response.headers:
        print("header: ", f"{name}: {value}")
    print("body:   ", response.body)
    # --8<-- [end:main]
