"""deflate: uvicorn accepts permessage-deflate, compresses what it sends (RSV1), and keeps its
compression context from one message to the next; without the offer, nothing is compressed."""

from __future__ import annotations

import re
import zlib

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


def test_the_window_uvicorn_asks_for() -> None:
    # The page: a 4 KiB window (server_max_window_bits), where zlib's largest is 32 KiB.
    agreed, _ = deflate.exchange(times=1)
    bits = int(re.search(r"server_max_window_bits=(\d+)", agreed).group(1))
    assert 2**bits == 4 * 1024 and 2**zlib.MAX_WBITS == 32 * 1024
