"""Flow control, both ways: bodies far larger than the 65,535-byte initial window."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import h2.events
import httpx
from h2.settings import SettingCodes
from h2_checks import RawClient
from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import client, fetch, why

MIB = 1024 * 1024  # /big sends this many bytes of "00000000\n00000001\n..." (checks/apps/h2_apps.py)


def test_big_response(serve_app: ServeFactory) -> None:
    """sends a 1 MiB response complete, in DATA frames the client's window and frame size allow

    The client keeps each stream's window at 65,535 bytes and the frame size at 16 KiB (the
    defaults, RFC 9113 §6.5.2), and opens the connection's window wide: the stream's own
    WINDOW_UPDATE frames are what let the server go on.

    Look at: Stream.send_body(): local_flow_control_window(), max_outbound_frame_size, and the wait for WINDOW_UPDATE
    """
    with serve_app() as server:
        raw = RawClient(server)
        try:
            raw.h2.increment_flow_control_window(16 * MIB)  # stream 0: the connection's window only
            raw.flush()
            stream_id = raw.request("/big")
            raw.wait_for(lambda e: isinstance(e, (h2.events.StreamEnded, h2.events.StreamReset)) and e.stream_id == stream_id,
                         "the end of GET /big")
            status, body = raw.status(stream_id), raw.body(stream_id)
        finally:
            raw.close()
    assert status == "200", f"GET /big answered {status}{why(server)}"
    assert len(body) == MIB, f"GET /big: {len(body)} bytes arrived, want {MIB}{why(server)}"
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


def test_connection_window_wakes_the_stream(serve_app: ServeFactory) -> None:
    """goes on sending when only the connection's window opens: a WINDOW_UPDATE on stream 0 wakes the stream

    The client gives each stream a 16 MiB window, so that the connection's 65,535 bytes run
    out first, and its WINDOW_UPDATE frames are all for stream 0.

    Look at: Connection.window_updated(): stream 0 is the connection's window, shared by every stream (RFC 9113 §6.9)
    """
    with serve_app() as server:
        raw = RawClient(server)
        try:
            raw.h2.update_settings({SettingCodes.INITIAL_WINDOW_SIZE: 16 * MIB})
            raw.flush()
            stream_id = raw.request("/big")
            raw.wait_for(lambda e: isinstance(e, (h2.events.StreamEnded, h2.events.StreamReset)) and e.stream_id == stream_id,
                         "the end of GET /big, with WINDOW_UPDATE frames on stream 0 only")
            status, size = raw.status(stream_id), len(raw.body(stream_id))
        finally:
            raw.close()
    assert status == "200", f"GET /big answered {status}"
    assert size == MIB, f"GET /big: {size} bytes arrived, want {MIB}"


def _ping(raw: RawClient, data: bytes) -> None:
    """A PING and its ACK: the server has read and handled every frame sent before it."""
    raw.h2.ping(data)
    raw.flush()
    raw.wait_for(lambda e: isinstance(e, h2.events.PingAckReceived) and e.ping_data == data, "the server's PING ACK")


def test_window_opens_as_the_app_reads(serve_app: ServeFactory, markers: Path) -> None:
    """opens the client's window only as the app reads: no WINDOW_UPDATE for a body the app has not taken

    The client fills the stream's 65,535-byte window for an app that waits before it reads;
    two PINGs later no WINDOW_UPDATE may have come. Then the app reads, and the rest of a
    200,000-byte upload must get through.

    Look at: Connection.data_received() and Stream.receive(): acknowledge_received_data() when the app takes a piece, not when it arrives
    """
    total = 200_000
    with serve_app() as server:
        raw = RawClient(server)
        try:
            stream_id = raw.request("/hold", method="POST", end_stream=False)
            raw.wait_for(lambda e: isinstance(e, h2.events.ResponseReceived) and e.stream_id == stream_id,
                         "the response headers of POST /hold")
            if raw.status(stream_id) != "200":
                raise AssertionError(f"POST /hold answered {raw.status(stream_id)}, want 200{why(server)}")
            before = len(raw.events)
            sent = _send_what_fits(raw, stream_id, total)
            _ping(raw, b"1st ping")
            _ping(raw, b"2nd ping")
            opened = [e for e in raw.events[before:] if isinstance(e, h2.events.WindowUpdated)]
            assert not opened, (
                f"the server opened the window (WINDOW_UPDATE on stream {opened[0].stream_id}) for {sent} bytes "
                "that the app had not read yet: an app that never reads would buffer the whole upload")
            (markers / "go").write_text("go")
            while sent < total:
                if not raw.h2.local_flow_control_window(stream_id):
                    raw.wait_for(lambda e: isinstance(e, h2.events.WindowUpdated),
                                 f"a WINDOW_UPDATE once the app read ({sent} of {total} bytes sent)", since=len(raw.events))
                sent += _send_what_fits(raw, stream_id, total - sent)
            raw.h2.end_stream(stream_id)
            raw.flush()
            raw.wait_for(lambda e: isinstance(e, h2.events.StreamEnded) and e.stream_id == stream_id,
                         "the end of POST /hold")
            body = raw.body(stream_id)
        finally:
            raw.close()
    assert body == str(total).encode(), f"the app read {body.decode() or 'nothing'} bytes, want {total}"


def _send_what_fits(raw: RawClient, stream_id: int, most: int) -> int:
    """Send zero bytes as DATA, as many as the stream's window lets in (at most `most`)."""
    sent = 0
    while sent < most:
        size = min(raw.h2.local_flow_control_window(stream_id), raw.h2.max_outbound_frame_size, most - sent)
        if size <= 0:
            break
        raw.h2.send_data(stream_id, bytes(size))
        sent += size
    raw.flush()
    return sent


def test_unread_body_gives_its_window_back(serve_app: ServeFactory) -> None:
    """gives back the window of a body the app never reads: the next upload on the connection gets through

    Look at: Connection.data_received(): data for a stream whose app has returned, or was reset, still used up the connection's window
    """
    body = bytes(MIB)
    # Two MiB through h2 in pure Python: seconds on a busy machine, so a longer wait per answer
    # than the kit's; a connection whose window is never given back still fails, only later.
    with serve_app() as server, client(server, http2=True, timeout=10) as c:
        try:
            ignored = c.post("/ignores-its-body", content=body)
            upload = c.post("/upload", content=body)
        except httpx.HTTPError as e:
            raise AssertionError(f"after a POST whose app did not read the body, no proper response on the "
                                 f"connection ({type(e).__name__}: {e}){why(server)}") from None
    assert ignored.status_code == 200, f"POST /ignores-its-body answered {ignored.status_code}"
    assert upload.text.split()[:1] == [str(MIB)], f"the upload after it: the app said {upload.text!r}"
