"""A WebSocket conversation with a real server (uvicorn running the echo app), typed by hand
on a raw TCP socket: the opening handshake, one text message each way, and the closing
handshake. Every byte is printed.

The key and the masking key are fixed so that the page shows the same bytes every time;
they are the examples of RFC 6455 (§1.3 and §5.7). A real client must draw both at random
for every connection and every frame.

Run it:  python handshake.py
Try:     send `Sec-WebSocket-Version: 8`, or leave out `Connection: Upgrade`. What comes back?
"""

from __future__ import annotations

from dataclasses import dataclass

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.websockets import wsframes
from snippets.websockets.echo_app import app

KEY = "dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455 §1.3's example nonce
MASK_KEY = bytes.fromhex("37fa213d")  # RFC 6455 §5.7's example masking key


@dataclass
class Conversation:
    request: bytes
    response: rawhttp.Response
    sent: list[bytes]
    received: list[wsframes.Frame]


def converse(url: str, text: str = "Hello") -> Conversation:
    # --8<-- [start:converse]
    request = wsframes.handshake_request("chat.test", "/echo", KEY)
    hello = wsframes.encode(wsframes.Opcode.TEXT, text.encode(), mask_key=MASK_KEY)
    goodbye = wsframes.encode(wsframes.Opcode.CLOSE, wsframes.close_payload(1000), mask_key=MASK_KEY)
    with rawhttp.connect(url) as sock:
        reader = rawhttp.Reader(sock)
        sock.sendall(request)
        response = rawhttp.read_response(reader)   # 101: no body; frames follow
        sock.sendall(hello)
        echoed = wsframes.read_frame(reader)
        sock.sendall(goodbye)                       # the closing handshake
        closed = wsframes.read_frame(reader)        # the server's Close frame
        assert reader.closed_by_server()            # and then the TCP connection ends
    # --8<-- [end:converse]
    return Conversation(request, response, [hello, goodbye], [echoed, closed])


def main() -> None:
    with serving_asgi(app) as url:
        talk = converse(url)
    rawhttp.show(talk.request, "> ")
    print()
    rawhttp.show(talk.response.raw, "< ")
    expected = wsframes.accept_key(KEY)
    print()
    print(f"accept value expected: {expected}")
    print(f"accept value received: {talk.response.header('sec-websocket-accept')}")
    for arrow, raw in (("client -> server", talk.sent[0]), ("server -> client", talk.received[0].raw),
                       ("client -> server", talk.sent[1]), ("server -> client", talk.received[1].raw)):
        print(f"\n{arrow}: {len(raw)} bytes")
        print(wsframes.annotate(raw))


if __name__ == "__main__":
    main()
