"""Multiplexing, frame by frame: three requests on one connection, and the server answers
whichever is ready, in pieces, interleaved. A slow response on stream 1 does not hold up
streams 3 and 5, which HTTP/1.1 on one connection cannot avoid.

Run it:  python interleave.py
"""

from __future__ import annotations

import h2.events

from snippets.http2.wire import connected


def interleaved() -> tuple[list[str], list[int]]:
    """The frames of three exchanges on one connection; the order in which streams completed."""
    # --8<-- [start:interleave]
    p = connected()
    p.log.clear()
    for stream, path in [(1, "/report.pdf"), (3, "/style.css"), (5, "/logo.png")]:
        p.client.send_headers(stream, [(":method", "GET"), (":scheme", "https"),
                                       (":authority", "example.test"), (":path", path)], end_stream=True)
    p.deliver("client")                                # three requests, back to back
    for stream in (1, 3, 5):
        p.server.send_headers(stream, [(":status", "200")])
    p.server.send_data(1, b"%PDF first part of a big file")        # stream 1 is slow...
    p.server.send_data(3, b"body { margin: 0 }", end_stream=True)  # ...3 and 5 overtake it
    p.server.send_data(5, b"\x89PNG...", end_stream=True)
    p.server.send_data(1, b"...the rest", end_stream=True)
    events = p.deliver("server")
    finished = [e.stream_id for e in events if isinstance(e, h2.events.StreamEnded)]
    # --8<-- [end:interleave]
    return p.log, finished


if __name__ == "__main__":
    lines, finished = interleaved()
    print("\n".join(lines))
    print("\nstreams completed in the order:", finished)
