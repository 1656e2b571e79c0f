"""start_response, write() and the body on the wire (PEP 3333 "The start_response() Callable",
"Buffering and Streaming", "Handling the Content-Length Header")."""

from __future__ import annotations

import select
from pathlib import Path

import pytest

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import Connection, connect, exchange, fetch, read_until, read_until_closed, until
from wsgi_checks import APPS

UNKNOWN = b"one two three, and a fourth piece of 26"  # /unknown's body, without a Content-Length


def test_streams_each_piece(serve: ServeFactory, markers: Path) -> None:
    """streams the body: the first piece reaches the client before the app has made the next

    Look at: run_app() (send each piece as it comes) and Response.send_body()
    """
    with serve(app="streaming_app:app", app_dir=APPS) as server, connect(server) as sock:
        sock.sendall(b"GET /wait HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n")
        received = bytearray()

        def first_or_asked_for_more() -> bool:
            while select.select([sock], [], [], 0)[0]:
                data = sock.recv(65536)
                if not data:
                    return True
                received.extend(data)
            return b"first" in received or (markers / "wait.next").exists()

        try:
            until(first_or_asked_for_more)
            if b"first" not in received:
                # The server has asked the app for the next piece: "first" is sent, or being
                # sent by now (PEP 3333 lets a server go on sending while the app makes the
                # next piece); the kernel needs a moment, not the app.
                received.extend(read_until(sock, b"first", "the first piece arrived, though the server had asked the "
                                           "app for the next one (collecting the body before sending any?)", timeout=1.0))
        finally:
            (markers / "go").touch()  # let the app finish either way
        rest = read_until_closed(sock)
    assert b"second" in received + rest, f"the second piece never came; got {rest[-60:]!r}"


def test_chunked_without_content_length(serve: ServeFactory) -> None:
    """uses Transfer-Encoding: chunked for a body without Content-Length, and keeps the connection

    Look at: Response.send_headers(), send_body() and finish()
    """
    with serve(app="streaming_app:app", app_dir=APPS) as server, Connection(server) as connection:
        reply = connection.request("GET", "/unknown")
        assert reply.headers.get("transfer-encoding") == "chunked", \
            f"want Transfer-Encoding: chunked; the headers were {reply.headers}"
        assert reply.body == UNKNOWN, f"the body was {reply.body!r}"
        again = connection.request("GET", "/unknown")
        assert again.status == 200 and again.body == UNKNOWN


def test_content_length_from_the_app(serve: ServeFactory) -> None:
    """sends a body with the app's Content-Length as is (no chunks, never more), and keeps the connection

    Look at: Response.send_headers() and send_body()
    """
    with serve(app="streaming_app:app", app_dir=APPS) as server, Connection(server) as connection:
        reply = connection.request("GET", "/fixed")
        assert reply.headers.get("content-length") == "15", f"the headers were {reply.headers}"
        assert "transfer-encoding" not in reply.headers, "a body with a Content-Length needs no chunks"
        assert reply.body == b"1234567890abcde", f"the body was {reply.body!r}"
        again = connection.request("GET", "/fixed")
        assert again.body == b"1234567890abcde"
        # The app sends 10 bytes under a Content-Length of 5: the other 5 would be read as the
        # start of the next response.
        over = connection.request("GET", "/overlong")
        assert over.body == b"12345", f"GET /overlong (Content-Length: 5, 10 bytes given) sent {over.body!r}"
        after = connection.request("GET", "/fixed")
        assert after.body == b"1234567890abcde", f"the response after /overlong was {after.body!r}"


def test_http10_body_ends_with_close(serve: ServeFactory) -> None:
    """ends a body of unknown length by closing the connection for an HTTP/1.0 client

    Look at: Response.send_headers() (HTTP/1.0 knows no chunked encoding)
    """
    with serve(app="streaming_app:app", app_dir=APPS) as server:
        answer = exchange(server, b"GET /unknown HTTP/1.0\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), f"got {answer[:60]!r}"
    assert b"chunked" not in head.lower(), "an HTTP/1.0 client can't read chunked encoding"
    assert body == UNKNOWN, f"the body was {body!r}"


def test_no_body_for_head(serve: ServeFactory) -> None:
    """sends no body in a response to HEAD (the next response on the connection stays readable)

    Look at: Response.send_body() (self.has_body) and body_allowed()
    """
    with serve(app="streaming_app:app", app_dir=APPS) as server, Connection(server) as connection:
        head = connection.request("HEAD", "/fixed")
        assert head.status == 200, f"HEAD answered {head.status}"
        get = connection.request("GET", "/fixed")
        assert get.body == b"1234567890abcde", f"the GET after the HEAD got {get.body!r}"


def test_write_callable(serve: ServeFactory) -> None:
    """supports the write() callable that start_response returns

    Look at: Response.write() (PEP 3333 "The write() Callable")
    """
    with serve(app="start_response_app:app", app_dir=APPS) as server:
        reply = fetch(server, "GET", "/write")
    assert reply.status_code == 200, f"GET /write answered {reply.status_code}"
    assert reply.text == "one two three\n", f"the body was {reply.text!r}: write()'s bytes come first"


def test_exc_info_replaces_status(serve: ServeFactory) -> None:
    """lets the app replace its status with start_response(..., exc_info) until the first non-empty piece

    Look at: start_response() (exc_info) and send_body() (an empty piece sends nothing)
    """
    with serve(app="start_response_app:app", app_dir=APPS) as server:
        reply = fetch(server, "GET", "/replace")
    assert reply.status_code == 503, f"got {reply.status_code}; the app replaced its 200 with a 503"
    assert reply.text == "sorry\n", f"the body was {reply.text!r}"


@pytest.mark.allow_traceback  # the app raises on purpose: the server logs it
def test_exc_info_after_headers_aborts(serve: ServeFactory) -> None:
    """re-raises exc_info once the headers are sent, and aborts the response

    Look at: start_response() (exc_info when headers_sent) and handle_request()
    """
    with serve(app="start_response_app:app", app_dir=APPS) as server:
        answer = exchange(server, b"GET /too-late HTTP/1.1\r\nHost: lab\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200"), f"want the 200 that went out before the error; got {answer[:60]!r}"
    assert b"partial" in answer, f"want the piece sent before the error; got {answer!r}"
    assert b"error page" not in answer, "start_response(exc_info) must raise once headers are sent, not go on"
    assert not answer.endswith(b"0\r\n\r\n"), "the response ended normally; it should be cut short (aborted)"


@pytest.mark.allow_traceback  # the app raises on purpose: the server logs it
def test_refuses_bad_status_and_headers(serve: ServeFactory) -> None:
    """answers 500 instead of sending a bad status, header or body (CR LF in a header injects headers)

    Look at: start_response() (the checks) and send_body() (bytes only)
    """
    with serve(app="start_response_app:app", app_dir=APPS) as server:
        for path in ["/bad/newline", "/bad/status", "/bad/hop", "/bad/str-body"]:
            reply = fetch(server, "GET", path)
            assert "set-cookie" not in reply.headers, f"GET {path}: the app's CR LF injected a Set-Cookie header"
            assert reply.status_code == 500, f"GET {path}: got {reply.status_code}, want 500"
