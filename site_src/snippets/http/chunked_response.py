"""A streamed response on the wire: the server cannot know the length up front, so it sends
the body in chunks, each preceded by its size in hexadecimal, and a zero-size chunk at the end.

The demo app's /stream route yields three pieces of text. This file asks for it over a raw
socket, prints the response bytes, then decodes the chunks with rawhttp.read_response. The
connection stays open: a second request on the same socket shows that the chunked framing
told the client exactly where the first response ended.

Run it:  python chunked_response.py
Try:     change the pieces in demo_app.py (make one 255 bytes, one 256); read the same
         route with `curl --raw` and without it.
"""

from __future__ import annotations

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.http.demo_app import app


def stream_then_hello(url: str) -> tuple[rawhttp.Response, rawhttp.Response]:
    # --8<-- [start:ask]
    with rawhttp.connect(url) as sock:
        reader = rawhttp.Reader(sock)
        sock.sendall(b"GET /stream HTTP/1.1\r\nHost: demo.test\r\n\r\n")
        streamed = rawhttp.read_response(reader)  # stops after the last chunk
        sock.sendall(b"GET / HTTP/1.1\r\nHost: demo.test\r\n\r\n")
        after = rawhttp.read_response(reader)  # same socket: still usable
    # --8<-- [end:ask]
    return streamed, after


def main() -> None:
    with serving_asgi(app) as url:
        streamed, after = stream_then_hello(url)

    print("== GET /stream: the response bytes")
    rawhttp.show(streamed.raw, "< ")

    print("\n== decoded")
    print("framing:", streamed.framing)
    print("chunk sizes, as sent (hex):", [format(size, "x") for size in streamed.chunk_sizes])
    print("chunk sizes, in bytes:     ", streamed.chunk_sizes)
    print("body:", streamed.body)
    print("trailer fields:", streamed.trailers)

    print("\n== then GET / on the same connection")
    print(after.status, after.reason, after.body)


if __name__ == "__main__":
    main()
