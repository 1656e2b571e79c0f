"""Why an app reads exactly CONTENT_LENGTH bytes from wsgi.input, never "everything".

wsgi.input is the body of one request, but under it is the client's connection. PEP 3333
("Input and Error Streams") tells apps not to read past CONTENT_LENGTH, and says a server
"should" simulate an end of file there: a recommendation, not a requirement. Here a client
sends a complete 5-byte body and waits, to two apps under two servers. wsgiref does not
simulate the end of file: its wsgi.input is the socket's own stream, so an app that calls
read() with no size waits for an end of stream that only comes when the client shuts down
its sending side. Gunicorn does: its wsgi.input stops at Content-Length, so the same app
gets the 5 bytes at once.

Run it:  python read_too_much.py
Try:     make the greedy app read(length + 1): under wsgiref it hangs too, waiting for one
         more byte; under Gunicorn it gets the 5 bytes.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import h11

from onthewire.serving import serving_wsgi
from snippets.production.servers import gunicorn

REQUEST = (
    b"POST / HTTP/1.1\r\n"
    b"Host: example.org\r\n"
    b"Content-Type: text/plain\r\n"
    b"Content-Length: 5\r\n"
    b"\r\n"
    b"hello"
)
PATIENCE = 1.0  # how long the client waits for an answer before shutting down writing
SERVERS = ("wsgiref", "gunicorn")


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


def terminated(environ, start_response):
    """Does the server say its wsgi.input ends where the body ends? (wsgi.input_terminated, a
    flag Gunicorn sets, among others; PEP 3333 does not define it.)"""
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [repr(environ.get("wsgi.input_terminated")).encode()]


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


def post(url: str, patience: float = PATIENCE) -> tuple[bytes, bytes]:
    """(what came back within `patience` seconds, what came back after shutting down writing)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(REQUEST)  # a complete request: head, and all 5 bytes of the body
        sock.settimeout(patience)
        early = receive(sock)
        if early:
            return early, b""
        # Half-close: "I will send nothing more". The server's read() now sees end of stream.
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(5)
        return early, receive(sock)


def body_of(response: bytes) -> str:
    """The body of a response received whole: h11 reads its framing, the connection's end
    (wsgiref, HTTP/1.0) or chunks (Gunicorn, HTTP/1.1)."""
    if not response:
        return "(nothing)"
    client = h11.Connection(our_role=h11.CLIENT)
    client.send(h11.Request(method="POST", target="/", headers=[("Host", "example.org"), ("Content-Length", "5")]))
    client.send(h11.Data(data=b"hello"))
    client.send(h11.EndOfMessage())
    client.receive_data(response)
    client.receive_data(b"")  # the server has closed the connection
    body = b""
    while not isinstance(event := client.next_event(), h11.EndOfMessage):
        if isinstance(event, h11.Data):
            body += event.data
    return body.decode()


@contextlib.contextmanager
def serving(server: str, app_name: str) -> Iterator[str]:
    """The app named `app_name` in this file, served by wsgiref or by one Gunicorn worker."""
    if server == "wsgiref":
        with serving_wsgi(globals()[app_name]) as url:
            yield url
    else:
        with gunicorn("--workers", "1", app=f"snippets.wsgi.read_too_much:{app_name}") as running:
            yield running.url


if __name__ == "__main__":
    for server in SERVERS:
        for app in (careful, greedy):
            with serving(server, app.__name__) as url:
                early, late = post(url)
            print(f"{server}, {app.__name__}:")
            print(f"  answer within {PATIENCE} s:                  {body_of(early)}")
            if not early:
                print(f"  answer once the client shut down writing: {body_of(late)}")
