"""An HTTP/2 conversation, frame by frame: h2's client and server in memory (see wire.py),
every frame printed as it crosses. One request and its response; a PING; a header block too
big for one frame; a body larger than the flow-control window; a cancelled stream; GOAWAY.

Run it:  python frames.py
Try:     change SETTINGS_MAX_FRAME_SIZE or the initial window and see the frames change.
"""

from __future__ import annotations

import h2.events

from snippets.http2.wire import connected, describe, split_frames

REQUEST = [(":method", "GET"), (":scheme", "https"), (":authority", "example.test"), (":path", "/")]


def header_fields(header: bytes) -> str:
    """The 9-byte frame header (RFC 9113 §4.1), field by field."""
    length, kind, flags, stream = int.from_bytes(header[:3], "big"), header[3], header[4], int.from_bytes(header[5:9], "big")
    return (f"{header.hex(' ')}  =  length {length} | type 0x{kind:x} | flags 0x{flags:02x} | "
            f"R + stream id {stream & 0x7FFF_FFFF}")


def request_and_response() -> list[str]:
    # --8<-- [start:exchange]
    p = connected()                                    # preface and SETTINGS both ways
    p.log.append("")
    p.client.send_headers(1, REQUEST, end_stream=True)  # client streams are odd: 1, 3, 5...
    request_bytes = p.client.data_to_send()
    header, frame = split_frames(request_bytes)[0]
    p.server.receive_data(request_bytes)
    p.log.append(f"client -> server  {describe(frame)}")
    p.log.append(f"    its 9-byte header: {header_fields(header)}")
    p.server.send_headers(1, [(":status", "200"), ("content-type", "text/plain")])
    p.server.send_data(1, b"hello, stream 1\n", end_stream=True)
    events = p.deliver("server")
    body = b"".join(e.data for e in events if isinstance(e, h2.events.DataReceived))
    assert body == b"hello, stream 1\n" and any(isinstance(e, h2.events.StreamEnded) for e in events)
    # --8<-- [end:exchange]
    p.log.append("")
    # --8<-- [start:ping]
    p.client.ping(b"8 bytes!")                         # opaque data, echoed back with ACK
    p.deliver("client")
    events = p.deliver("server")
    assert isinstance(events[0], h2.events.PingAckReceived) and events[0].ping_data == b"8 bytes!"
    # --8<-- [end:ping]
    return p.log


def continuation() -> list[str]:
    # --8<-- [start:continuation]
    p = connected()
    p.log.clear()
    big = REQUEST + [("cookie", "x" * 40_000)]          # more than one 16 384-byte frame can hold
    p.client.send_headers(1, big, end_stream=True)
    events = p.deliver("client")
    received = next(e for e in events if isinstance(e, h2.events.RequestReceived))
    assert dict(received.headers)[b"cookie"] == b"x" * 40_000  # one header block, reassembled
    # --8<-- [end:continuation]
    return p.log


def flow_control() -> list[str]:
    # --8<-- [start:flow]
    p = connected()
    p.log.clear()
    p.client.send_headers(1, REQUEST, end_stream=True)
    p.deliver("client")
    p.server.send_headers(1, [(":status", "200")])
    window = p.server.local_flow_control_window(1)     # what the client allows: 65 535 bytes
    body = b"x" * 100_000
    size = p.server.max_outbound_frame_size            # SETTINGS_MAX_FRAME_SIZE: 16 384
    for start in range(0, window, size):               # h2 refuses to send one byte more
        p.server.send_data(1, body[start:min(start + size, window)])
    events = p.deliver("server")
    p.log.append(f"    (server's window for stream 1: {p.server.local_flow_control_window(1)}; "
                 f"{len(body) - window} bytes wait)")
    for e in events:                                   # the client has consumed the data:
        if isinstance(e, h2.events.DataReceived):      # it gives the credit back
            p.client.acknowledge_received_data(e.flow_controlled_length, e.stream_id)
    p.deliver("client")                                # WINDOW_UPDATE, stream 0 and stream 1
    p.log.append(f"    (server's window for stream 1: {p.server.local_flow_control_window(1)})")
    rest = body[window:]
    for start in range(0, len(rest), size):
        p.server.send_data(1, rest[start:start + size], end_stream=start + size >= len(rest))
    p.deliver("server")
    # --8<-- [end:flow]
    assert window == 65_535 == 2**16 - 1  # RFC 9113 §6.9.2: the initial window
    return p.log


def cancel_and_goaway() -> list[str]:
    # --8<-- [start:cancel]
    p = connected()
    p.log.clear()
    p.client.send_headers(1, REQUEST, end_stream=True)
    p.client.send_headers(3, REQUEST, end_stream=True)  # two requests in flight at once
    p.deliver("client")
    p.client.reset_stream(3)                           # the user navigated away: cancel one
    events = p.deliver("client")
    assert isinstance(events[0], h2.events.StreamReset) and events[0].stream_id == 3
    p.server.send_headers(1, [(":status", "204")], end_stream=True)  # stream 1 goes on
    p.server.close_connection(last_stream_id=1)         # GOAWAY: no new streams after 1
    events = p.deliver("server")
    assert isinstance(events[-1], h2.events.ConnectionTerminated) and events[-1].last_stream_id == 1
    # --8<-- [end:cancel]
    return p.log


if __name__ == "__main__":
    for title, lines in [("A request and a response, then a PING", request_and_response()),
                         ("A 40 000-byte cookie: HEADERS + CONTINUATION", continuation()),
                         ("A 100 000-byte body against a 65 535-byte window", flow_control()),
                         ("Two streams, one cancelled, then GOAWAY", cancel_and_goaway())]:
        print(f"## {title}")
        print("\n".join(lines))
        print()
