"""Apps that use start_response() in the ways PEP 3333 allows, and in some it forbids.

    /write         pushes part of its body with write(), returns the rest
    /replace       yields an empty piece, then replaces its 200 by a 503 (start_response with
                   exc_info): allowed, since no headers can have been sent yet
    /too-late      sends "partial", then tries the same: start_response must re-raise
    /bad/newline   a header value with CR LF in it: an injected Set-Cookie
    /bad/status    a status without its reason phrase
    /bad/hop       a hop-by-hop header (Connection), which only the server may send
    /bad/str-body  a body of str instead of bytes
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

TEXT = [("Content-Type", "text/plain; charset=utf-8")]


def write_then_return(start_response: Callable) -> Iterable[bytes]:
    write = start_response("200 OK", TEXT)
    write(b"one ")
    write(b"two ")
    return [b"three\n"]


def replace(start_response: Callable) -> Iterator[bytes]:
    start_response("200 OK", TEXT)
    yield b""  # an empty piece: the headers must not have gone out
    try:
        raise LookupError("found out, after start_response, that the thing is missing")
    except LookupError:
        start_response("503 Service Unavailable", TEXT, sys.exc_info())
    yield b"sorry\n"


def too_late(start_response: Callable) -> Iterator[bytes]:
    start_response("200 OK", TEXT)
    yield b"partial\n"
    try:
        raise LookupError("failed after the headers were sent")
    except LookupError:
        start_response("500 Internal Server Error", TEXT, sys.exc_info())  # must raise
    yield b"an error page that must never be sent\n"


BAD_HEADERS = {
    "/bad/newline": ("200 OK", [*TEXT, ("X-Note", "hi\r\nSet-Cookie: session=stolen")]),
    "/bad/status": ("200", TEXT),
    "/bad/hop": ("200 OK", [*TEXT, ("Connection", "close")]),
}


def app(environ: dict[str, Any], start_response: Callable) -> Iterable[Any]:
    path = environ.get("PATH_INFO", "")
    if path == "/write":
        return write_then_return(start_response)
    if path == "/replace":
        return replace(start_response)
    if path == "/too-late":
        return too_late(start_response)
    if path in BAD_HEADERS:
        start_response(*BAD_HEADERS[path])
        return [b"this response should have been refused\n"]
    if path == "/bad/str-body":
        start_response("200 OK", TEXT)
        return ["a str, not bytes\n"]
    start_response("200 OK", TEXT)
    return [b"fine\n"]
