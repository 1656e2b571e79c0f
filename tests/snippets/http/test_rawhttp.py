"""rawhttp frames responses the way RFC 9112 §6.3 says, and agrees with h11 on real bytes."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator

import h11
import pytest

from snippets.http import rawhttp


MakeReader = Callable[[bytes], rawhttp.Reader]


@pytest.fixture
def reader_over() -> Iterator[MakeReader]:
    """Makes Readers whose peer has sent some bytes and closed its side."""
    sockets: list[socket.socket] = []

    def make(data: bytes) -> rawhttp.Reader:
        ours, theirs = socket.socketpair()
        sockets.append(ours)
        ours.settimeout(5)
        with theirs:
            theirs.sendall(data)
        return rawhttp.Reader(ours)

    yield make
    for sock in sockets:
        sock.close()


def test_content_length_body_and_leftovers_stay_for_the_next_response(reader_over: MakeReader) -> None:
    two = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
    reader = reader_over(two)
    first = rawhttp.read_response(reader)
    second = rawhttp.read_response(reader)
    assert (first.status, first.body, first.framing) == (200, b"hello", "content-length")
    assert first.raw == two[: two.index(b"HTTP/1.1 404")]
    assert (second.status, second.reason, second.body) == (404, "Not Found", b"")
    assert reader.closed_by_server()


def test_chunked_body_sizes_are_hex_and_extensions_and_trailers_are_handled(reader_over: MakeReader) -> None:
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1a;note=x\r\n" + b"z" * 26 + b"\r\n0\r\nX-Sum: 9\r\n\r\n"
    response = rawhttp.read_response(reader_over(data))
    assert response.framing == "chunked"
    assert response.chunk_sizes == [26]
    assert response.body == b"z" * 26
    assert response.trailers == [("X-Sum", "9")]


def test_without_length_a_response_body_runs_to_the_close(reader_over: MakeReader) -> None:
    response = rawhttp.read_response(reader_over(b"HTTP/1.0 200 OK\r\n\r\nall of it"))
    assert (response.framing, response.body) == ("close", b"all of it")


@pytest.mark.parametrize(("method", "status"), [("HEAD", 200), ("GET", 204), ("GET", 304)])
def test_responses_that_never_have_a_body(method: str, status: int, reader_over: MakeReader) -> None:
    data = f"HTTP/1.1 {status} X\r\nContent-Length: 10\r\n\r\n".encode()
    response = rawhttp.read_response(reader_over(data), method=method)
    assert (response.framing, response.body) == ("no body", b"")


def test_header_lookup_ignores_case_and_joins_repeated_fields(reader_over: MakeReader) -> None:
    response = rawhttp.read_response(reader_over(b"HTTP/1.1 200 OK\r\nVary: a\r\nvary: b\r\nContent-Length: 0\r\n\r\n"))
    assert response.header("VARY") == "a, b"
    assert response.header("missing") is None


def test_a_response_cut_short_is_an_error(reader_over: MakeReader) -> None:
    with pytest.raises(rawhttp.ConnectionClosed):
        rawhttp.read_response(reader_over(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"))


def test_agrees_with_h11_on_bytes_h11_writes(reader_over: MakeReader) -> None:
    server = h11.Connection(our_role=h11.SERVER)
    server.receive_data(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    server.next_event()
    wire = server.send(h11.Response(status_code=200, headers=[("Transfer-Encoding", "chunked")]))
    wire += server.send(h11.Data(data=b"a" * 300)) + server.send(h11.Data(data=b"b"))
    wire += server.send(h11.EndOfMessage(headers=[("X-T", "1")]))
    response = rawhttp.read_response(reader_over(wire))
    assert response.chunk_sizes == [300, 1]
    assert b"12c\r\n" in wire  # 300 in hex
    assert response.body == b"a" * 300 + b"b"
    assert response.trailers == [("X-T", "1")]


def test_render_shows_line_endings_and_masks_the_date() -> None:
    data = b"HTTP/1.1 200 OK\r\nDate: Tue, 24 Nov 2026 18:00:00 GMT\r\n\r\n4\r\nab\n\r\nline\nend"
    assert rawhttp.render(data, "< ").splitlines() == [
        r"< HTTP/1.1 200 OK\r\n",
        r"< Date: <masked>\r\n",
        r"< \r\n",
        r"< 4\r\n",
        r"< ab\n\r\n",  # chunk data ending in LF stays on the line of its CRLF
        r"< line\n",
        r"< end",
    ]
