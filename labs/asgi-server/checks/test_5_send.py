"""send(): the response on the wire (HTTP spec, "Response Start - send event", "Response Body -
send event", "Disconnected Client - send exception")."""

from __future__ import annotations

from pathlib import Path

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import TIMEOUT, Connection, connect, exchange, read_until, read_until_closed, shown, wait_for_file, why

# HTTP spec, "Response Body": "Protocol servers must flush any data passed to them into the send
# buffer before returning from a send call". Once the app's send() has returned, a piece is in
# the kernel, and on a loopback connection it reaches the client's socket at once: half a
# second is a wide margin, and no wait at all for a piece that is there.
SENT = 0.5


def test_streams_each_piece(serve: ServeFactory, markers: Path) -> None:
    """sends each http.response.body as it comes: the first piece arrives before the app makes the next

    Look at: RequestCycle.send(): write each piece at once
    """
    with serve(app="stream_app:app") as server, connect(server) as sock:
        sock.sendall(b"GET /stream HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n")
        try:
            assert wait_for_file(markers / "first-sent") is not None, \
                f"the app's first send() of a body never returned{why(server)}"
            read_until(sock, b"first", "the first piece arrived, though the app's send() had returned: is send() "
                       "keeping it?", timeout=SENT)
        finally:
            (markers / "go").touch()  # let the app finish either way
        rest = read_until_closed(sock)
    assert b"second" in rest, f"the second piece never came; got {shown(rest[-60:])}"


def test_chunked_without_content_length(serve: ServeFactory) -> None:
    """uses Transfer-Encoding: chunked for a streamed body without Content-Length, and keeps the connection

    Look at: RequestCycle.send(): the h11.Response without a Content-Length (h11 frames the body)
    """
    with serve(app="stream_app:app") as server, Connection(server) as connection:
        reply = connection.request("GET", "/unknown-length")
        assert reply.headers.get("transfer-encoding") == "chunked", \
            f"want Transfer-Encoding: chunked; the headers were {reply.headers}"
        assert reply.body == b"one two three", f"the body was {shown(reply.body)}"
        again = connection.request("GET", "/unknown-length")
        assert again.status == 200 and again.body == b"one two three", f"the second response was {again}"


def test_content_length_from_the_app(serve: ServeFactory) -> None:
    """sends a body in pieces with the app's Content-Length as is (no chunks)

    Look at: RequestCycle.send()
    """
    with serve(app="stream_app:app") as server, Connection(server) as connection:
        reply = connection.request("GET", "/fixed")
    assert reply.headers.get("content-length") == "15", f"the headers were {reply.headers}"
    assert "transfer-encoding" not in reply.headers, "a body with a Content-Length needs no chunks"
    assert reply.body == b"1234567890abcde", f"the body was {shown(reply.body)}"


def test_no_body_for_head(serve: ServeFactory) -> None:
    """sends the headers but no body in a response to HEAD

    Look at: RequestCycle.send() and body_allowed()
    """
    with serve(app="stream_app:app") as server:
        answer = exchange(server, b"HEAD /fixed HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n")
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), f"HEAD /fixed got {shown(answer[:60])}{why(server)}"
    assert b"content-length: 15" in head.lower(), f"want the app's Content-Length: 15 in the head; got {shown(head)}"
    assert body == b"", f"a response to HEAD has no body; got {shown(body)}"


def test_send_raises_once_client_is_gone(serve: ServeFactory, markers: Path) -> None:
    """raises an OSError from send() once the client has gone, so a streaming app stops

    Look at: RequestCycle.send() (self.connection.lost) and ClientDisconnected
    """
    with serve(app="stream_app:app") as server:
        with connect(server) as sock:
            sock.sendall(b"GET /endless HTTP/1.1\r\nHost: lab\r\n\r\n")
            assert wait_for_file(markers / "endless-first-sent") is not None, \
                f"the app's first send() of a body never returned{why(server)}"
            read_until(sock, b"piece 0", "the first piece arrived, though the app's send() had returned", timeout=SENT)
        # The client has closed the connection.
        got = wait_for_file(markers / "endless", timeout=TIMEOUT + 1)
        assert got is not None, f"the app never finished its stream after the client left{why(server)}"
    assert "an OSError" in got, f"the app streamed on after the client left: {got}"
