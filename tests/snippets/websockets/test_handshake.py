"""handshake: the 101, the accept value, the echo and the closing handshake, by hand."""

from __future__ import annotations

from onthewire.serving import serving_asgi
from snippets.websockets import handshake, wsframes
from snippets.websockets.echo_app import app


def test_conversation() -> None:
    with serving_asgi(app) as url:
        talk = handshake.converse(url, "Grüße")
    assert talk.response.status == 101
    assert talk.response.header("upgrade") == "websocket"
    assert talk.response.header("connection") == "Upgrade"
    assert talk.response.header("sec-websocket-accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" == wsframes.accept_key(handshake.KEY)
    echoed, closed = talk.received
    assert (echoed.opcode, echoed.payload, echoed.mask_key) == (1, "Grüße".encode(), None)
    assert closed.close_code == 1000


def test_the_page_output(snippet_output) -> None:
    out = snippet_output("handshake.py")
    assert "accept value expected: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\naccept value received: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in out
    assert "7f 9f 4d 51 58  payload, masked: b'Hello'" in out  # RFC 6455 §5.7's masked example


def test_what_the_page_says_about_the_sizes() -> None:
    # The page: a request line, five header fields and an empty line; the client's frame is
    # 2 bytes of header, 4 of mask and the payload; the echo is shorter by the mask alone.
    with serving_asgi(app) as url:
        talk = handshake.converse(url)
    lines = talk.request.split(b"\r\n")
    assert lines[0].startswith(b"GET ") and len(lines[1:lines.index(b"")]) == 5
    hello, _ = talk.sent
    echoed, _ = talk.received
    assert len(hello) == 2 + 4 + len("Hello") and len(echoed.raw) == len(hello) - 4
