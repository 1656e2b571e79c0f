"""deflate: uvicorn accepts permessage-deflate, compresses what it sends (RSV1), and keeps its
compression context from one message to the next; without the offer, nothing is compressed."""

from __future__ import annotations

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.websockets import deflate, wsframes
from snippets.websockets.echo_app import app


def test_compressed_echoes() -> None:
    agreed, echoes = deflate.exchange(times=3)
    assert agreed is not None and agreed.startswith("permessage-deflate")
    assert all(echo.frame.rsv == 0b100 and echo.inflated == deflate.MESSAGE for echo in echoes)
    sizes = [len(echo.frame.raw) for echo in echoes]
    assert sizes[0] < len(deflate.MESSAGE) / 5
    assert sizes[1] < sizes[0] and sizes[2] <= sizes[1]  # context takeover: it remembers


def test_without_the_offer_nothing_is_compressed() -> None:
    with serving_asgi(app) as url, rawhttp.connect(url) as sock:
        reader = rawhttp.Reader(sock)
        sock.sendall(wsframes.handshake_request("chat.test", "/echo", deflate.KEY))
        assert rawhttp.read_response(reader).header("sec-websocket-extensions") is None
        sock.sendall(wsframes.encode(wsframes.Opcode.TEXT, deflate.MESSAGE, mask_key=deflate.MASK_KEY))
        frame = wsframes.read_frame(reader)
    assert frame.rsv == 0 and frame.payload == deflate.MESSAGE
