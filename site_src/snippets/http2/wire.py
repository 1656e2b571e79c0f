"""Two h2 connections, a client and a server, wired together in memory: bytes from one are
fed to the other, and every frame on the way is parsed with hyperframe and described. No
socket: h2 is sans-IO (bytes in, events out), so a whole HTTP/2 conversation fits in a list.

Run it:  python wire.py
Try:     `describe()` the bytes of any HTTP/2 capture (after the 24-byte preface).
"""

from __future__ import annotations

from dataclasses import dataclass

import h2.config
import h2.connection
import h2.events
from hyperframe.frame import Frame

# RFC 9113 §6 (and §11.2): the frame types, by the number in the header's type byte.
NAMES = {0x0: "DATA", 0x1: "HEADERS", 0x2: "PRIORITY", 0x3: "RST_STREAM", 0x4: "SETTINGS", 0x5: "PUSH_PROMISE",
         0x6: "PING", 0x7: "GOAWAY", 0x8: "WINDOW_UPDATE", 0x9: "CONTINUATION"}
PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"  # RFC 9113 §3.4: the client's first 24 bytes


# --8<-- [start:describe]
def split_frames(data: bytes) -> list[tuple[bytes, Frame]]:
    """Cut a byte stream into frames: each a 9-byte header, then `length` bytes of payload."""
    if data.startswith(PREFACE):
        data = data[len(PREFACE):]
    frames = []
    while data:
        header, data = data[:9], data[9:]
        frame, length = Frame.parse_frame_header(memoryview(header))  # 24-bit length, type, flags, stream id
        frame.parse_body(memoryview(data[:length]))
        frames.append((header, frame))
        data = data[length:]
    return frames


def describe(frame: Frame) -> str:
    """One line per frame: type, stream id, flags that are set, payload length."""
    flags = ",".join(sorted(frame.flags)) or "-"
    length = len(frame.serialize()) - 9
    return f"{NAMES.get(frame.type, hex(frame.type)):<13} stream {frame.stream_id}  flags {flags:<23} length {length}"
# --8<-- [end:describe]


@dataclass
class Pair:
    """A client and a server H2Connection and the events each has received so far."""

    client: h2.connection.H2Connection
    server: h2.connection.H2Connection
    log: list[str]

    # --8<-- [start:deliver]
    def deliver(self, sender: str) -> list[h2.events.Event]:
        """Move everything `sender` ("client" or "server") has queued to the other side.

        Records one line per frame in `self.log` and returns the receiver's events.
        """
        source, target = (self.client, self.server) if sender == "client" else (self.server, self.client)
        data = source.data_to_send()
        arrow = "client -> server" if sender == "client" else "server -> client"
        if data.startswith(PREFACE):
            self.log.append(f"{arrow}  PREFACE       {PREFACE[:14]!r}... (24 bytes)")
        self.log += [f"{arrow}  {describe(frame)}" for _, frame in split_frames(data)]
        return target.receive_data(data)
    # --8<-- [end:deliver]


def pair() -> Pair:
    """A client and a server connection, each having sent its preface and SETTINGS, nothing
    delivered yet."""
    client = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    server = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
    client.initiate_connection()
    server.initiate_connection()
    return Pair(client, server, [])


def connected() -> Pair:
    """A pair after the connection preface: both SETTINGS frames sent and acknowledged."""
    p = pair()
    p.deliver("client")
    p.deliver("server")
    p.deliver("client")
    return p


if __name__ == "__main__":
    p = connected()
    print("\n".join(p.log))
