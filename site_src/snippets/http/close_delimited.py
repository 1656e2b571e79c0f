"""The oldest way to end a body: close the connection. Only a response may do this.

An HTTP/1.0 client does not know chunked coding, so a server must not send it one
(RFC 9112 §6.1); for a body of unknown length its only choice left is to send no length at
all and close the connection after the last byte (RFC 9112 §6.3, rule 8). This file asks the
demo app's /stream route for a response in HTTP/1.0, under each of uvicorn's two HTTP parsers,
and prints what came back.

Run it:  python close_delimited.py
Try:     ask for / instead of /stream (the length is known: what changes?); ask in HTTP/1.1
         with `Connection: close`.
"""

from __future__ import annotations

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.http.demo_app import app

# --8<-- [start:request]
HTTP_10 = b"GET /stream HTTP/1.0\r\n\r\n"  # HTTP/1.0: Host optional, no chunked
# --8<-- [end:request]


def ask(url: str) -> rawhttp.Response:
    with rawhttp.connect(url) as sock:
        sock.sendall(HTTP_10)
        return rawhttp.read_response(rawhttp.Reader(sock))


def body_as_http10_client_sees_it(raw: bytes) -> bytes:
    return raw.partition(b"\r\n\r\n")[2]


def main() -> None:
    for parser in ("h11", "httptools"):
        with serving_asgi(app, http=parser) as url:
            response = ask(url)
        print(f"== uvicorn --http {parser}: {response.framing}")
        rawhttp.show(response.raw, "< ")
        # An HTTP/1.0 client reads everything up to the close and calls it the body:
        print("what an HTTP/1.0 client takes for the body:")
        rawhttp.show(body_as_http10_client_sees_it(response.raw), "  | ")
        print()


if __name__ == "__main__":
    main()
