"""When does the server close the connection? Persistent connections, seen from a raw socket.

HTTP/1.1 connections persist by default: the server keeps the connection open for the next
request unless either side says `Connection: close` (RFC 9112 §9.3). HTTP/1.0 connections close
after each response unless the client asks for `Connection: keep-alive` and the server agrees,
which it does not have to. And a server closes a connection that stays idle too long.

Each case below runs against uvicorn with each of its two HTTP parsers; the keep-alive
timeout is set to 1 s (uvicorn's default is 5 s) so that the idle case is quick.

Run it:  python keep_alive.py
Try:     send `Connection: keep-alive, close`; send `Connection: CLOSE`.
"""

from __future__ import annotations

import time

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.http.demo_app import app

IDLE_TIMEOUT = 1  # uvicorn's timeout_keep_alive, in seconds

CASES = {
    "HTTP/1.1, no Connection field": b"GET / HTTP/1.1\r\nHost: demo.test\r\n\r\n",
    "HTTP/1.1, Connection: close": b"GET / HTTP/1.1\r\nHost: demo.test\r\nConnection: close\r\n\r\n",
    "HTTP/1.0, no Connection field": b"GET / HTTP/1.0\r\n\r\n",
    "HTTP/1.0, Connection: keep-alive": b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
}


SECOND = b"GET /echo HTTP/1.1\r\nHost: demo.test\r\nConnection: close\r\n\r\n"


def what_happens(url: str, request: bytes) -> str:
    # --8<-- [start:second]
    with rawhttp.connect(url) as sock:
        reader = rawhttp.Reader(sock)
        sock.sendall(request)
        first = rawhttp.read_response(reader)
        try:  # a second request, on the same connection
            sock.sendall(SECOND)
            second = rawhttp.read_response(reader)
        except (rawhttp.ConnectionClosed, ConnectionResetError, BrokenPipeError):
            second = None
    # --8<-- [end:second]
    connection = next((f"{name}: {value}" for name, value in first.headers if name.lower() == "connection"), "-")
    after = "reused" if second is not None else "closed"
    return f"{first.status}, {connection:<17} then {after}"


def idle_close(url: str) -> tuple[bool, float]:
    """Leave a persistent connection idle: does the server close it, and after how long?"""
    with rawhttp.connect(url) as sock:
        reader = rawhttp.Reader(sock)
        sock.sendall(CASES["HTTP/1.1, no Connection field"])
        rawhttp.read_response(reader)
        start = time.monotonic()
        closed = reader.closed_by_server()  # blocks until the server closes (or our timeout)
        return closed, time.monotonic() - start


def main() -> None:
    for parser in ("httptools", "h11"):
        print(f"== uvicorn --http {parser}")
        with serving_asgi(app, http=parser, timeout_keep_alive=IDLE_TIMEOUT) as url:
            for name, request in CASES.items():
                print(f"{name:<33} -> {what_happens(url, request)}")
            closed, waited = idle_close(url)
        # the timer starts when the response is sent, a moment before we start counting
        verdict = f"closed by the server after ~{IDLE_TIMEOUT} s" if closed and waited > IDLE_TIMEOUT / 2 else "open"
        print(f"{'HTTP/1.1, then left idle':<33} -> {verdict}")
        print()


if __name__ == "__main__":
    main()
