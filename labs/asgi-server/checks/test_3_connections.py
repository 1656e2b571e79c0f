"""Connections: keep-alive (h11's start_next_cycle), bad requests and silent clients."""

from __future__ import annotations

import time

import h11

from asgi_checks import SERVER_TIMEOUT
from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import TIMEOUT, Connection, connect, exchange, read_until_closed, shown


def test_keep_alive(serve: ServeFactory) -> None:
    """keeps the connection open for request after request, even after a body the app didn't read

    Look at: Server.handle_connection() after run(): discard_body() and h11's start_next_cycle()
    """
    with serve() as server, Connection(server) as connection:
        first = connection.request("GET", "/")
        assert first.status == 200, f"GET / answered {first.status}"
        echoed = connection.request("POST", "/echo", body=b"ping")
        assert echoed.body == b"ping", f"POST /echo sent back {shown(echoed.body)}"
        # hello:app answers POST / without reading the body: the server must skip it.
        ignored = connection.request("POST", "/", body=b"x" * 100_000)
        assert ignored.status == 200, f"POST / answered {ignored.status}"
        last = connection.request("GET", "/caf%C3%A9")
        assert last.status == 200 and b"caf" in last.body, f"GET /caf%C3%A9 after them answered {last.status}"


def test_pipelined_and_close(serve: ServeFactory) -> None:
    """answers pipelined requests in order, and closes after Connection: close

    Look at: Server.handle_connection() (h11's our_state after the response: DONE or MUST_CLOSE)
    """
    with serve() as server, connect(server) as sock:
        sock.sendall(b"GET /?name=one HTTP/1.1\r\nHost: lab\r\n\r\n"
                     b"GET /?name=two HTTP/1.1\r\nHost: lab\r\nConnection: close\r\n\r\n")
        answer = read_until_closed(sock)
    client = h11.Connection(h11.CLIENT)
    client.receive_data(answer)
    bodies = []
    for name in ("one", "two"):
        client.send(h11.Request(method="GET", target="/", headers=[("Host", "lab")]))
        client.send(h11.EndOfMessage())
        body = b""
        while not isinstance(event := client.next_event(), h11.EndOfMessage):
            assert event is not h11.NEED_DATA, \
                f"no complete response to the request for {name!r} before the server closed; got {shown(answer)}"
            if isinstance(event, h11.Data):
                body += bytes(event.data)
        bodies.append(body)
        if name == "one":
            assert client.our_state is h11.DONE and client.their_state is h11.DONE, \
                "the first response closed the connection: keep it open"
            client.start_next_cycle()
    assert bodies[0].startswith(b"Hello, one!") and bodies[1].startswith(b"Hello, two!"), \
        f"want the two greetings in order; got {bodies}"


def test_refuses_bad_requests(serve: ServeFactory) -> None:
    """refuses malformed requests (400), huge heads (431), huge declared bodies (413) and HTTP/2 (505)

    Look at: Server.handle_connection() and Connection.send_error() (given): did an edit break them?
    """
    with serve() as server:
        for request, status in [
            (b"NOT HTTP AT ALL\r\n\r\n", b"400"),
            (b"GET / HTTP/1.1\r\nHost: lab\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n", b"431"),
            (b"POST / HTTP/1.1\r\nHost: lab\r\nContent-Length: 2000000\r\n\r\n", b"413"),
            (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", b"505"),  # HTTP/2's preface, sent by a client that assumes h2c
        ]:
            answer = exchange(server, request)
            assert answer.startswith(b"HTTP/1.1 " + status), \
                f"{shown(request[:30])}... got {shown(answer[:40])}, want {status.decode()}"
        assert server.process.poll() is None, "the server exited"


def test_drops_silent_clients(serve: ServeFactory) -> None:
    """drops a client that stays silent, or stops halfway through a request head, after --timeout

    Look at: Server.handle_connection() (asyncio.TimeoutError from read_event) (given)
    """
    timeout = SERVER_TIMEOUT / 2  # both clients wait at once, for this long
    with serve(args=["--timeout", f"{timeout:g}"]) as server:
        sent = [b"", b"GET / HTTP/1.1\r\nHost: lab\r\n"]
        socks = [connect(server) for _ in sent]
        try:
            for sock, data in zip(socks, sent):
                sock.sendall(data)
            started = time.monotonic()
            for sock, data in zip(socks, sent):
                answer = read_until_closed(sock, timeout=timeout + TIMEOUT)
                assert time.monotonic() - started >= timeout * 0.9, f"closed too soon after {shown(data)}"
                if data:
                    assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), f"after half a head, got {shown(answer)}"
        finally:
            for sock in socks:
                sock.close()
