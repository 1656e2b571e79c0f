"""One HTTP/1.1 exchange over a plain TCP socket: no HTTP library on the client side at all.

It starts uvicorn with the module's demo app, connects, writes a GET request as bytes,
reads until the server closes the connection and prints both directions: `>` for what the
client sent, `<` for what came back. The Date field is masked, since it changes every second.

Run it:  python first_request.py
Try:     leave out the `Connection: close` line: the server keeps the connection open for
         the next request, so `recv` waits until the socket times out. Why?
"""

from __future__ import annotations

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.http.demo_app import app


def exchange(url: str) -> tuple[bytes, bytes]:
    # --8<-- [start:exchange]
    request = (
        b"GET / HTTP/1.1\r\n"      # request line: method, target, version
        b"Host: demo.test\r\n"     # the one field HTTP/1.1 requires
        b"Connection: close\r\n"   # ask the server to close once it has answered
        b"\r\n"                    # an empty line ends the head; a GET has no body
    )
    with rawhttp.connect(url) as sock:
        sock.sendall(request)
        response = b""
        while data := sock.recv(65536):  # b"" once the server has closed its side
            response += data
    # --8<-- [end:exchange]
    return request, response


def main() -> None:
    with serving_asgi(app) as url:
        request, response = exchange(url)
    rawhttp.show(request, "> ")
    rawhttp.show(response, "< ")


if __name__ == "__main__":
    main()
