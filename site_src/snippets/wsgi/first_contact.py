"""One app, one server, one request: what each side of WSGI contributes to the bytes.

The app (by_hand.py) knows nothing about sockets: it returns a status, headers and a body.
wsgiref's server reads the request from the socket, turns it into an environ, calls the app,
and writes the response: its own status line and Date and Server headers, then the app's
headers and body. Here a raw socket shows both directions, byte for byte.

Run it:  python first_contact.py
Try:     ask for /ada; send "HTTP/1.0" in the request line and compare.
"""

from __future__ import annotations

import re
import socket
from urllib.parse import urlsplit

from snippets.wsgi.by_hand import app
from onthewire.serving import serving_wsgi

REQUEST = b"GET /world HTTP/1.1\r\nHost: example.org\r\n\r\n"


def exchange(request: bytes = REQUEST) -> bytes:
    """Send `request` to `app` served by wsgiref; return every byte of the response."""
    with serving_wsgi(app) as url:
        parts = urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
            sock.sendall(request)
            response = b""
            # wsgiref answers in HTTP/1.0 and closes the connection after the response.
            while chunk := sock.recv(4096):
                response += chunk
    return response


def masked(response: bytes) -> bytes:
    """Date changes every second, Server with the Python version: hide their values."""
    return re.sub(rb"(Date|Server): [^\r]*", rb"\1: <masked>", response)


def show(data: bytes) -> None:
    """One line per HTTP line, with its CRLF, as Python bytes."""
    lines = data.split(b"\r\n")
    for n, line in enumerate(lines):
        last = n == len(lines) - 1
        if not (last and not line):
            print("  " + repr(line if last else line + b"\r\n"))


if __name__ == "__main__":
    print("the client sends:")
    show(REQUEST)
    print("wsgiref answers, with what the app returned:")
    show(masked(exchange()))
