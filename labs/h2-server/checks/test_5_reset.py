"""RST_STREAM: the client cancels one stream; the app hears it, the connection goes on."""

from __future__ import annotations

from pathlib import Path

import h2.events
from h2.errors import ErrorCodes
from h2_checks import RawClient
from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import wait_for_file


def test_reset_stream(serve_app: ServeFactory, markers: Path) -> None:
    """delivers http.disconnect to the app of a stream the client resets, and serves the next stream

    Look at: Connection.stream_reset() and Stream.receive()
    """
    with serve_app() as server:
        raw = RawClient(server)
        try:
            first = raw.request("/stream")
            raw.wait_for(lambda e: isinstance(e, h2.events.DataReceived) and e.stream_id == first,
                         "the first chunk of /stream")
            raw.h2.reset_stream(first, ErrorCodes.CANCEL)
            raw.flush()
            heard = wait_for_file(markers / "stream")
            assert heard == "http.disconnect", \
                f"after RST_STREAM the app's receive() should return http.disconnect; it got {heard or 'nothing'}"
            second = raw.request("/after")
            raw.wait_for(lambda e: isinstance(e, h2.events.StreamEnded) and e.stream_id == second,
                         "the response on a new stream after the reset")
            data = raw.body(second)
        finally:
            raw.close()
    assert data == b"GET /after HTTP/2\n", f"the stream after the reset got {data!r}"
