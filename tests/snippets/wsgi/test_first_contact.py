"""first_contact: wsgiref frames what the app returned into an HTTP/1.0 response."""

from __future__ import annotations

from snippets.wsgi.first_contact import exchange, masked


def test_the_server_adds_its_status_line_date_and_server_then_the_apps_headers_and_body() -> None:
    response = exchange()
    head, body = response.split(b"\r\n\r\n", 1)
    lines = head.split(b"\r\n")
    # wsgiref answers HTTP/1.0 even to an HTTP/1.1 request, and closes the connection.
    assert lines[0] == b"HTTP/1.0 200 OK"
    assert lines[1].startswith(b"Date: ") and lines[2].startswith(b"Server: WSGIServer/")
    assert lines[3:] == [b"Content-Type: text/plain; charset=utf-8", b"Content-Length: 14"]
    assert body == b"Hello, world!\n"
    assert b"<masked>" in masked(response) and b"GMT" not in masked(response)
