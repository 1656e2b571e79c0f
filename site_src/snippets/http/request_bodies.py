"""Two ways to send a request body, and what the server hands the app in each case.

First a body announced by Content-Length, written by hand. Then the same kind of body sent
chunked, with a trailer field after the last chunk: those bytes are written by h11, acting
as a client, so that you see a real library's framing. Both go to uvicorn with the demo app's
/echo route, which answers with the body it received. Last, h11 as a server parses the
chunked bytes into events, where the trailer shows up on the end of the message.

Run it:  python request_bodies.py
Try:     make the Content-Length one byte too small, then one byte too big (what does the
         server wait for?); send a chunk size in decimal instead of hex.
"""

from __future__ import annotations

import h11

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.http.demo_app import app

# --8<-- [start:content_length]
BODY = b"name=Ada+Lovelace&lang=en"
WITH_LENGTH = (
    b"POST /echo HTTP/1.1\r\n"
    b"Host: demo.test\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: " + str(len(BODY)).encode() + b"\r\n"  # bytes, decimal
    b"\r\n"
    + BODY                                          # that many bytes, no more
)
# --8<-- [end:content_length]


def chunked_by_h11() -> bytes:
    # --8<-- [start:chunked]
    client = h11.Connection(our_role=h11.CLIENT)
    fields = [("Host", "demo.test"), ("Transfer-Encoding", "chunked")]
    head = h11.Request(method="POST", target="/echo", headers=fields)
    wire = client.send(head)
    wire += client.send(h11.Data(data=b"name=Ada+Lovelace"))  # one chunk per Data
    wire += client.send(h11.Data(data=b"&lang=en"))
    trailer = [("X-Body-Parts", "2")]
    wire += client.send(h11.EndOfMessage(headers=trailer))  # last chunk, trailer
    # --8<-- [end:chunked]
    return wire


def post(url: str, request: bytes) -> rawhttp.Response:
    with rawhttp.connect(url) as sock:
        sock.sendall(request)
        return rawhttp.read_response(rawhttp.Reader(sock))


def h11_server_events(data: bytes) -> list[h11.Event]:
    server = h11.Connection(our_role=h11.SERVER)
    server.receive_data(data)
    events = []
    while not isinstance(event := server.next_event(), (h11.EndOfMessage, type(h11.NEED_DATA))):
        events.append(event)
    events.append(event)
    return events


def describe(event: h11.Event) -> str:
    if isinstance(event, h11.Request):
        return f"Request: {event.method.decode()} {event.target.decode()} {list(event.headers)}"
    if isinstance(event, h11.Data):
        return f"Data: {bytes(event.data)!r}"
    return f"{type(event).__name__}: trailer fields {list(event.headers)}"


def main() -> None:
    chunked = chunked_by_h11()
    with serving_asgi(app) as url:
        by_length = post(url, WITH_LENGTH)
        by_chunks = post(url, chunked)

    print("== a body with Content-Length")
    rawhttp.show(WITH_LENGTH, "> ")
    print("the app answered:", by_length.body.decode().strip())

    print("\n== the same body, chunked by h11, with a trailer field")
    rawhttp.show(chunked, "> ")
    print("the app answered:", by_chunks.body.decode().strip())

    print("\n== the chunked bytes, parsed by h11 as a server")
    for event in h11_server_events(chunked):
        print(describe(event))


if __name__ == "__main__":
    main()
