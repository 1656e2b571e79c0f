"""The parts of an HTTP/1.1 message, sent by hand and parsed by hand.

The request asks for /headers, a route of the demo app that answers with the header fields
the app received. The field names are spelled in odd cases, one value has extra spaces and
one field appears twice, to show what a server does with each (RFC 9112 §5, RFC 9110 §5).
The response is then taken apart: status line, fields, body. The same request goes to both
of uvicorn's HTTP parsers (httptools, its default when installed, and h11), and last h11 on
its own, sans-IO (bytes in, events out, no socket), parses the same bytes.

Run it:  python messages.py
Try:     send `Host : demo.test` (a space before the colon) and read what comes back;
         send the request with `\\n` line endings instead of `\\r\\n` to each parser.
"""

from __future__ import annotations

import ast

import h11

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.http.demo_app import app

# --8<-- [start:request]
REQUEST = (
    b"GET /headers?lang=en HTTP/1.1\r\n"  # method SP target SP version CRLF
    b"hOsT: demo.test\r\n"                # names are case-insensitive
    b"User-Agent: rawhttp/0.1\r\n"
    b"X-Course:    on the wire   \r\n"    # spaces around a value: not part of it
    b"Accept: text/plain\r\n"
    b"Accept: text/html\r\n"              # a field may repeat: a list of values
    b"Connection: close\r\n"
    b"\r\n"                               # the empty line: end of the head
)
# --8<-- [end:request]


def ask(url: str) -> rawhttp.Response:
    with rawhttp.connect(url) as sock:
        sock.sendall(REQUEST)
        return rawhttp.read_response(rawhttp.Reader(sock))


def fields_seen_by_app(response: rawhttp.Response) -> list[tuple[str, str]]:
    """The /headers body, `name: 'value'` per line, back into pairs."""
    pairs = []
    for line in response.body.decode().splitlines():
        name, _, value = line.partition(": ")
        pairs.append((name, ast.literal_eval(value)))
    return pairs


def h11_request(data: bytes) -> h11.Request:
    # --8<-- [start:h11]
    server = h11.Connection(our_role=h11.SERVER)
    server.receive_data(data)     # bytes in...
    event = server.next_event()   # ...events out: here, one h11.Request
    # --8<-- [end:h11]
    assert isinstance(event, h11.Request)
    return event


def main() -> None:
    responses = {}
    for parser in ("httptools", "h11"):
        with serving_asgi(app, http=parser) as url:
            responses[parser] = ask(url)
    response = responses["httptools"]

    print("== the response from uvicorn (httptools), as it came off the wire")
    rawhttp.show(response.raw, "< ")

    print("\n== the same response, taken apart by rawhttp.read_response")
    print(f"status line: version={response.version!r} status={response.status} reason={response.reason!r}")
    print("field names:", " ".join(name for name, _ in response.headers))
    # --8<-- [start:lookup]
    print("Content-Length:", response.header("Content-Length"))
    print("content-length:", response.header("content-length"))
    # --8<-- [end:lookup]

    print("\n== what the app saw as x-course, under each of uvicorn's two parsers")
    for parser, r in responses.items():
        print(f"{parser:>9}: {dict(fields_seen_by_app(r))['x-course']!r}")

    print("\n== the request bytes, parsed by h11 alone (sans-IO)")
    event = h11_request(REQUEST)
    print(f"method={event.method!r} target={event.target!r} http_version={event.http_version!r}")
    print("names as sent: ", b" ".join(name for name, _ in event.headers.raw_items()).decode())
    print("names to match:", b" ".join(name for name, _ in event.headers).decode())
    print("accept values: ", [value for name, value in event.headers if name == b"accept"])


if __name__ == "__main__":
    main()
