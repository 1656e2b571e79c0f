"""echo_app: text comes back as text, bytes as bytes, through a real server and client."""

from __future__ import annotations

from websockets.sync.client import connect

from onthewire.serving import serving_asgi
from snippets.websockets.echo_app import app


def test_echoes_text_and_bytes() -> None:
    with serving_asgi(app) as url, connect(url.replace("http://", "ws://") + "/echo") as websocket:
        websocket.send("héllo")
        assert websocket.recv(timeout=5) == "héllo"
        websocket.send(b"\x00\xff")
        assert websocket.recv(timeout=5) == b"\x00\xff"
