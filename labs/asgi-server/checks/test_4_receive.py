"""receive(): the request body in pieces, and http.disconnect (HTTP spec, "Request - receive
event", "Disconnect - receive event")."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from asgi_checks import SERVER_TIMEOUT
from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import TIMEOUT, Connection, connect, fetch, read_until, read_until_closed, shown, wait_for_file, why


def test_body_in_pieces(serve: ServeFactory) -> None:
    """gives the app a large body in several http.request messages, more_body=True on all but the last

    Look at: RequestCycle.receive(): one message per h11.Data, as it arrives
    """
    body = bytes(range(256)) * 1200  # 300 KiB
    with serve(app="body_app:app") as server:
        reply = fetch(server, "POST", "/messages", content=body)
        assert reply.status_code == 200, f"POST /messages answered {reply.status_code}{why(server)}"
    seen = reply.json()
    messages = seen["messages"]
    assert all(kind == "http.request" for kind, _, _ in messages), f"receive() returned {messages}"
    assert sum(size for _, size, _ in messages) == len(body) and seen["sha256"] == hashlib.sha256(body).hexdigest(), \
        f"the app got other bytes than the {len(body)} sent: {messages}"
    assert len(messages) > 1, \
        f"receive() returned the {len(body)}-byte body in one message: give it in pieces as they arrive"
    assert all(more for _, _, more in messages[:-1]) and not messages[-1][2], \
        f"more_body must be True on every message but the last: {messages}"


def test_body_before_it_has_all_arrived(serve: ServeFactory) -> None:
    """lets the app read the start of a body before the client has sent the rest

    Look at: RequestCycle.receive(): is it collecting the whole body before returning?
    """
    with serve(app="body_app:app") as server, connect(server) as sock:
        sock.sendall(b"POST /interactive HTTP/1.1\r\nHost: lab\r\nContent-Length: 200000\r\n\r\n" + b"a" * 50_000)
        read_until(sock, b"got ", "the app answered the first 50000 bytes (the client sends the rest after that)")
        sock.sendall(b"a" * 150_000)
        read_until(sock, b"total 200000", "the app counted the whole body")


def test_chunked_request_body(serve: ServeFactory) -> None:
    """decodes a chunked request body: the app sees the body bytes only

    Look at: RequestCycle.receive() (h11's Data events carry the decoded bytes)
    """
    pieces = [bytes([i]) * 10_000 for i in range(5)]

    def chunks() -> Iterator[bytes]:
        yield from pieces  # httpx sends a generator with Transfer-Encoding: chunked

    with serve(app="body_app:app") as server:
        reply = fetch(server, "POST", "/messages", content=chunks())
        assert reply.status_code == 200, f"POST /messages (chunked) answered {reply.status_code}{why(server)}"
    seen = reply.json()
    assert seen["sha256"] == hashlib.sha256(b"".join(pieces)).hexdigest(), \
        f"the app got other bytes than the 50000 sent: {seen['messages']}"


def test_chunked_body_too_large(serve: ServeFactory) -> None:
    """refuses a chunked body over 1 MiB with 413, counting as it arrives

    Look at: RequestCycle.receive() (self.body_size, MAX_BODY_BYTES and self.refuse(413))
    """
    chunk = b"%x\r\n" % 65536 + b"x" * 65536 + b"\r\n"
    with serve(app="body_app:app") as server, connect(server) as sock:
        sock.sendall(b"POST /length HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: chunked\r\n\r\n")
        try:
            for _ in range(20):  # 1.25 MiB
                sock.sendall(chunk)
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server may stop reading once it has refused the body
        answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 413"), f"a 1.25 MiB chunked body got {shown(answer[:80])}, want 413"


def test_disconnect_when_body_stalls(serve: ServeFactory, markers: Path) -> None:
    """gives the app http.disconnect when the client stops sending its body for longer than --timeout

    Look at: RequestCycle.receive() (asyncio.TimeoutError from read_event, self.refuse(408))
    """
    with serve(app="body_app:app") as server, connect(server) as sock:
        sock.sendall(b"POST /stall HTTP/1.1\r\nHost: lab\r\nContent-Length: 100\r\n\r\n" + b"x" * 10)
        got = wait_for_file(markers / "stall.got", timeout=SERVER_TIMEOUT + TIMEOUT)
        assert got is not None, f"the app's receive() never returned after the client stopped sending{why(server)}"
        answer = read_until_closed(sock)
    assert got.split()[-1] == "http.disconnect", f"receive() returned {got}, want http.disconnect last"
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), f"the client got {shown(answer)}"


def test_disconnect_when_client_leaves(serve: ServeFactory, markers: Path) -> None:
    """gives http.disconnect to an app waiting in receive() when the client closes the connection

    Look at: RequestCycle.receive() after the body (self.connection.wait_for_hangup)
    """
    with serve(app="body_app:app") as server:
        with connect(server) as sock:
            sock.sendall(b"GET /long-poll HTTP/1.1\r\nHost: lab\r\n\r\n")
            waiting = wait_for_file(markers / "long-poll.waiting")
            assert waiting, f"the app never got its (empty) body from receive(){why(server)}"
        # The client has closed the connection.
        got = wait_for_file(markers / "long-poll.got")
    assert got == "http.disconnect", f"the app waiting in receive() got {got or 'nothing'} within {TIMEOUT:g} s " \
        "after the client left, want http.disconnect"


def test_disconnect_after_response(serve: ServeFactory, markers: Path) -> None:
    """returns http.disconnect at once from receive() once the response is complete

    Look at: RequestCycle.receive() (self.response_complete)
    """
    with serve(app="body_app:app") as server, Connection(server) as connection:
        reply = connection.request("GET", "/after-response")
        got = wait_for_file(markers / "after-response.got")
    assert reply.body == b"done\n", f"GET /after-response got {shown(reply.body)}"
    assert got == "http.disconnect", \
        f"after a complete response, receive() gave {got or 'nothing'} within {TIMEOUT:g} s " \
        "(the client keeps the connection open), want http.disconnect"
