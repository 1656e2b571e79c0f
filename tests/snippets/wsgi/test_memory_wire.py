"""memory_wire: wsgiref's SimpleHandler writes the response it would send into memory."""

from __future__ import annotations

from snippets.wsgi.by_hand import app, make_environ
from snippets.wsgi.memory_wire import MemoryWire


def test_it_records_the_bytes_and_masks_the_date() -> None:
    wire = MemoryWire(make_environ("/ada"))
    sent = wire.run(app)
    assert sent.startswith(b"HTTP/1.0 200 OK\r\nDate: <date>\r\n")
    assert sent.endswith(b"\r\n\r\nHello, ada!\n")
    assert wire.last_error() == ""


def test_http_lines_shows_one_line_each_and_the_body_last() -> None:
    from snippets.wsgi.memory_wire import http_lines

    assert http_lines(b"") == ["(nothing)"]
    assert http_lines(b"HTTP/1.0 200 OK\r\nA: b\r\n\r\nbody") == [
        repr(b"HTTP/1.0 200 OK\r\n"), repr(b"A: b\r\n"), repr(b"\r\n"), repr(b"body")]
