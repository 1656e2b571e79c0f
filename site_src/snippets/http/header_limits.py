"""How big may the head of a request be? Whatever the server decides: RFC 9110 §5.4 only says
that a server refusing a head too large for it answers with a 4xx, and RFC 6585 §5 defines
431 (Request Header Fields Too Large) for exactly that.

h11 guards its buffer: while a head is incomplete, it refuses to hold more than 16 KiB of it
(`max_incomplete_event_size`) and says the right answer would be 431. The first part feeds h11
a 20 KiB head, sans-IO, once all at once and once in 4 KiB pieces, as a network would deliver
it. The second part sends a 1 MiB head to uvicorn with each of its two HTTP parsers.

Run it:  python header_limits.py
Try:     find the largest head h11 accepts in 4 KiB pieces; pass
         `h11_max_incomplete_event_size=64 * 1024` to serving_asgi for the h11 parser.
"""

from __future__ import annotations

import h11

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.http.demo_app import app

KIB = 1024


def head_of(size: int) -> bytes:
    return b"GET / HTTP/1.1\r\nHost: demo.test\r\nX-Big: " + b"a" * size + b"\r\n\r\n"


def h11_reads(head: bytes, piece: int) -> str:
    """Feed `head` to an h11 server connection `piece` bytes at a time; say what h11 made of it."""
    # --8<-- [start:pieces]
    server = h11.Connection(our_role=h11.SERVER)
    for start in range(0, len(head), piece):
        server.receive_data(head[start:start + piece])
        try:
            event = server.next_event()
        except h11.RemoteProtocolError as e:
            hint = e.error_status_hint
            return f"refused at {start + piece} bytes ({e}), status {hint}"
        if isinstance(event, h11.Request):
            return f"a Request with {len(event.headers)} fields"
    # --8<-- [end:pieces]
    return "still waiting for the end of the head"


def send_big_head(url: str, head: bytes) -> str:
    with rawhttp.connect(url) as sock:
        try:
            sock.sendall(head)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading and closed: its answer may still be waiting
        response = rawhttp.read_response(rawhttp.Reader(sock))
    return f"{response.status} {response.reason}"


def main() -> None:
    head = head_of(20 * KIB)
    print(f"== h11 alone, a head of {len(head)} bytes")
    print("in one piece:      ", h11_reads(head, piece=len(head)))
    print("in 4 KiB pieces:   ", h11_reads(head, piece=4 * KIB))

    print("\n== uvicorn, a head of 1 MiB")
    for parser in ("httptools", "h11"):
        with serving_asgi(app, http=parser, log_level="error") as url:
            print(f"uvicorn --http {parser:<10}", send_big_head(url, head_of(1024 * KIB)))


if __name__ == "__main__":
    main()
