"""receive(): the request body in pieces, and http.disconnect (HTTP spec, "Request - receive
event", "Disconnect - receive event")."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

from asgi_checks import SERVER_TIMEOUT
from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import (TIMEOUT, Connection, connect, fetch, read_until, read_until_closed, shown, until, wait_for_file,
                                why)


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
    """refuses a chunked body over 1 MiB with 413, counting as it arrives, and takes one of exactly 1 MiB

    Look at: RequestCycle.receive() (self.body_size, MAX_BODY_BYTES and self.refuse(413))
    """
    chunk = b"%x\r\n" % 65536 + b"x" * 65536 + b"\r\n"
    head = b"POST /length HTTP/1.1\r\nHost: lab\r\nTransfer-Encoding: chunked\r\n\r\n"
    with serve(app="body_app:app") as server:
        with connect(server) as sock:
            sock.sendall(head + chunk * 16 + b"0\r\n\r\n")  # 1 MiB: the limit itself
            exact = read_until(sock, b"bytes\n", "the answer to a chunked body of exactly 1 MiB")
        assert exact.startswith(b"HTTP/1.1 200") and b"1048576 bytes" in exact, \
            f"a chunked body of exactly 1 MiB (1048576 bytes, the limit) got {shown(exact[:80])}, want 200{why(server)}"
        with connect(server) as sock:
            sock.sendall(head)
            try:
                for _ in range(16):
                    sock.sendall(chunk)
                sock.sendall(b"1\r\nx\r\n0\r\n\r\n")  # one byte over
            except OSError:
                pass  # the server may stop reading once it has refused the body
            answer = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 413"), f"a chunked body of 1 MiB and one byte got {shown(answer[:80])}, want 413"


def test_disconnect_when_body_stalls(serve: ServeFactory, markers: Path) -> None:
    """gives the app http.disconnect when the client stops sending its body for longer than --timeout

    Look at: RequestCycle.receive() (asyncio.TimeoutError from read_event, self.refuse(408))
    """
    got, timeout = markers / "stall.got", SERVER_TIMEOUT / 2
    with serve(app="body_app:app", args=["--timeout", f"{timeout:g}"]) as server, connect(server) as sock:
        # The head and the first 10 bytes in one piece, then nothing: the silence is the client's.
        sock.sendall(b"POST /stall HTTP/1.1\r\nHost: lab\r\nContent-Length: 100\r\n\r\n" + b"x" * 10)
        # A traceback means receive() raised instead of returning: no answer is coming.
        until(lambda: got.exists() or "Traceback" in server.output(), timeout=timeout + TIMEOUT)
        assert got.exists(), f"the app's receive() never returned after the client stopped sending{why(server)}"
        answer = read_until_closed(sock)
    assert got.read_text().split()[-1] == "http.disconnect", f"receive() returned {got.read_text()}, want http.disconnect last"
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
        # The client has closed the connection: its FIN is at the server before the app hears "closed".
        (markers / "closed").touch()
        got = wait_for_file(markers / "long-poll.got")
    assert got == "http.disconnect", f"the app waiting in receive() got {got or 'nothing'} after the client left, " \
        "want http.disconnect"


def test_disconnect_after_response(serve: ServeFactory, markers: Path) -> None:
    """returns http.disconnect at once from receive() once the response is complete

    Look at: RequestCycle.receive() (self.response_complete)
    """
    with serve(app="body_app:app") as server, Connection(server) as connection:
        reply = connection.request("GET", "/after-response")
        got = wait_for_file(markers / "after-response.got")
    assert reply.body == b"done\n", f"GET /after-response got {shown(reply.body)}"
    assert got == "http.disconnect", \
        f"after a complete response, receive() gave {got or 'nothing'} (the client keeps the connection open), " \
        "want http.disconnect at once"
