"""A streamed response is chunked, sizes in hex, and the connection stays usable after it."""

from __future__ import annotations

from onthewire.serving import serving_asgi
from snippets.http.chunked_response import stream_then_hello
from snippets.http.demo_app import PIECES, app


def test_chunks_match_the_pieces_and_the_next_request_is_answered() -> None:
    with serving_asgi(app) as url:
        streamed, after = stream_then_hello(url)
    assert streamed.framing == "chunked"
    assert streamed.header("content-length") is None
    assert streamed.chunk_sizes == [len(p) for p in PIECES] == [0x14, 0x1E, 0x4]
    assert b"\r\n14\r\n" in streamed.raw and b"\r\n1e\r\n" in streamed.raw
    assert streamed.raw.endswith(b"\r\n0\r\n\r\n")  # last chunk, empty trailer section
    assert streamed.body == b"".join(PIECES)
    assert (after.status, after.body) == (200, b"hello\n")
