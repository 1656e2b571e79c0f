"""Flow control, both ways: bodies far larger than the 65,535-byte initial window."""

from __future__ import annotations

import hashlib
import os

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import fetch

MIB = 1024 * 1024  # /big sends this many bytes of "00000000\n00000001\n..." (checks/apps/h2_apps.py)


def test_big_response(serve_app: ServeFactory) -> None:
    """sends a 1 MiB response complete, in DATA frames the client's window and frame size allow

    Look at: Stream.send_body(): local_flow_control_window(), max_outbound_frame_size, and the wait for WINDOW_UPDATE
    """
    with serve_app() as server:
        reply = fetch(server, "GET", "/big", http2=True)
    assert reply.status_code == 200, f"GET /big answered {reply.status_code}"
    body = reply.content
    assert len(body) == MIB, f"GET /big: {len(body)} bytes arrived, want {MIB}"
    assert body == b"".join(b"%08d\n" % i for i in range(MIB // 9 + 1))[:MIB], \
        "GET /big: all the bytes arrived, but not in order, or some twice"


def test_big_upload(serve_app: ServeFactory) -> None:
    """receives a 1 MiB upload complete: the server opens its window as the app reads

    Look at: Connection.data_received() and Stream.receive(): acknowledge_received_data() once the app has a chunk
    """
    body = os.urandom(MIB)
    with serve_app() as server:
        reply = fetch(server, "POST", "/upload", http2=True, content=body)
    assert reply.status_code == 200, f"POST /upload answered {reply.status_code}"
    want = f"{MIB} {hashlib.sha256(body).hexdigest()}"
    got = reply.text.split()[0] if reply.text else "nothing"
    assert reply.text == want, f"the app received {got} bytes, want {MIB} (and the same bytes)"


def test_echo_both_ways(serve_app: ServeFactory) -> None:
    """echoes 1 MiB: the upload and the response flow at once, each in its window

    Look at: Stream.receive() and Stream.send_body() together
    """
    body = os.urandom(MIB)
    with serve_app() as server:
        reply = fetch(server, "POST", "/echo", http2=True, content=body)
    assert len(reply.content) == MIB, f"POST /echo sent back {len(reply.content)} bytes, want {MIB}"
    assert reply.content == body, "POST /echo sent back different bytes"
