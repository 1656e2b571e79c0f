"""The server calls close() on the body: after the last chunk, and when the client hangs up.

close() is the app's only sure signal that a response is over (PEP 3333, "Specification
Details"): a server must call it when the iterable has one, whether the response was sent in
full or abandoned. A generator's close() raises GeneratorExit at the paused `yield`, so its
`finally:` block runs. Here wsgiref serves a feed twice: once a client reads it to the end,
once a raw socket reads the first chunk and closes the connection.

Run it:  python close_on_disconnect.py
Try:     remove the try/finally and watch nothing tell the app that the client left.
"""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlsplit

import httpx

from onthewire.serving import serving_wsgi

ENDLESS = 1_000_000  # "until the client leaves": a bound only so that a bug cannot run forever

more = threading.Event()    # the feed's next items are ready (set by the client, to be exact)
closed = threading.Event()  # the generator's finally: block ran
ended: list[str] = []       # how the generator ended


# --8<-- [start:app]
def feed(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return items(int(environ["QUERY_STRING"] or ENDLESS))


def items(count):
    sent = 0
    try:
        yield b"item 1\n"
        sent = 1
        more.wait(timeout=5)  # a slow source: the next items are not ready yet
        for n in range(2, count + 1):
            yield b"item %d\n" % n
            sent = n
        ended.append(f"finished after {sent} items")
    except GeneratorExit:  # close() was called while paused at a yield
        ended.append("GeneratorExit: closed before the end")
        raise
    finally:
        closed.set()  # release what the response held: files, locks...
# --8<-- [end:app]


def reset() -> None:
    more.clear()
    closed.clear()
    ended.clear()


# --8<-- [start:read_all]
def read_all(url: str) -> bytes:
    more.set()  # nothing to wait for
    return httpx.get(url + "?3").content
# --8<-- [end:read_all]


# --8<-- [start:hang_up]
def hang_up_after_first_item(url: str) -> bytes:
    parts = urlsplit(url)
    address = (parts.hostname, parts.port)
    with socket.create_connection(address, timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: example.org\r\n\r\n")
        received = b""
        while b"item 1\n" not in received:
            received += sock.recv(4096)
    # The socket is closed. The next items make the server's writes fail,
    # and instead of sending them the server calls close() on the iterable.
    more.set()
    return received.split(b"\r\n\r\n", 1)[1]
# --8<-- [end:hang_up]


def run(client) -> tuple[bytes, bool, str]:
    """(body the client got, whether close() ran within 5 s, how the generator ended)."""
    reset()
    with serving_wsgi(feed) as url:
        body = client(url)
        ran = closed.wait(timeout=5)  # close() runs in the server's thread: wait for it
    return body, ran, ended[0] if ended else "(still running)"


if __name__ == "__main__":
    for client in (read_all, hang_up_after_first_item):
        body, ran, how = run(client)
        print(f"{client.__name__}:")
        print(f"  the client got   {body!r}")
        print(f"  close() ran      {ran}")
        print(f"  the generator    {how}")
