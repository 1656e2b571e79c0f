"""Why an app reads exactly CONTENT_LENGTH bytes from wsgi.input, never "everything".

wsgi.input is the body of one request, but under it is the client's connection. PEP 3333
("Input and Error Streams") tells apps not to read past CONTENT_LENGTH; servers should fake
an end of file there, but are not required to. wsgiref does not: its wsgi.input is the
socket's own stream. Here a client sends a complete 5-byte body and waits. An app that
reads exactly CONTENT_LENGTH bytes answers at once; an app that calls read() with no size
waits for an end of stream that only comes when the client shuts down its sending side.

Run it:  python read_too_much.py
Try:     make the greedy app read(length + 1): it hangs too, waiting for one more byte.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from onthewire.serving import serving_wsgi

REQUEST = (
    b"POST / HTTP/1.1\r\n"
    b"Host: example.org\r\n"
    b"Content-Type: text/plain\r\n"
    b"Content-Length: 5\r\n"
    b"\r\n"
    b"hello"
)
PATIENCE = 0.5  # how long the client waits for an answer before giving up on it


# --- Two apps: one reads what was announced, one reads "everything" ------------------------

# --8<-- [start:apps]
def careful(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)  # exactly the announced body
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"read %d bytes" % len(body)]


def greedy(environ, start_response):
    body = environ["wsgi.input"].read()  # to the end of the stream: when?
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"read %d bytes" % len(body)]
# --8<-- [end:apps]


# --- A client that sends the whole request, then waits -------------------------------------

def receive(sock: socket.socket) -> bytes:
    """Everything until the server closes the connection (wsgiref closes after each response),
    or until the socket's timeout runs out."""
    data = b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
    except TimeoutError:
        pass  # the server said nothing more in time
    return data


def post(url: str) -> tuple[bytes, bytes]:
    """(what came back within PATIENCE seconds, what came back after shutting down writing)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(REQUEST)  # a complete request: head, and all 5 bytes of the body
        sock.settimeout(PATIENCE)
        early = receive(sock)
        if early:
            return early, b""
        # Half-close: "I will send nothing more". The server's read() now sees end of stream.
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(5)
        return early, receive(sock)


def last_line(response: bytes) -> str:
    return response.rsplit(b"\r\n", 1)[-1].decode() if response else "(nothing)"


if __name__ == "__main__":
    for app in (careful, greedy):
        with serving_wsgi(app) as url:
            early, late = post(url)
        print(f"{app.__name__}:")
        print(f"  answer within {PATIENCE} s:                  {last_line(early)}")
        if not early:
            print(f"  answer once the client shut down writing: {last_line(late)}")
