"""A body framed by Content-Length and the same body chunked (with a trailer) reach the app alike."""

from __future__ import annotations

import h11

from onthewire.serving import serving_asgi
from snippets.http import request_bodies
from snippets.http.demo_app import app


def test_h11_writes_hex_chunk_sizes_a_last_chunk_and_the_trailer() -> None:
    wire = request_bodies.chunked_by_h11()
    assert b"Transfer-Encoding: chunked\r\n" in wire
    assert b"\r\n\r\n11\r\nname=Ada+Lovelace\r\n8\r\n&lang=en\r\n" in wire  # 17 bytes = 0x11
    assert wire.endswith(b"0\r\nX-Body-Parts: 2\r\n\r\n")


def test_the_app_gets_the_same_body_either_way() -> None:
    with serving_asgi(app) as url:
        by_length = request_bodies.post(url, request_bodies.WITH_LENGTH)
        by_chunks = request_bodies.post(url, request_bodies.chunked_by_h11())
    expected = f"POST /echo got 25 bytes: {request_bodies.BODY!r}\n".encode()
    assert by_length.body == by_chunks.body == expected


def test_h11_puts_the_trailer_on_the_end_of_the_message() -> None:
    events = request_bodies.h11_server_events(request_bodies.chunked_by_h11())
    assert [type(e) for e in events] == [h11.Request, h11.Data, h11.Data, h11.EndOfMessage]
    assert list(events[-1].headers) == [(b"x-body-parts", b"2")]


def test_the_first_chunk_is_seventeen_bytes_written_11() -> None:
    # bodies.md quotes the size line as printed and says in words what it means.
    first = bytes(request_bodies.h11_server_events(request_bodies.chunked_by_h11())[1].data)
    assert len(first) == 17 and f"{len(first):x}" == "11"
