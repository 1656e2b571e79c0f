"""What only this lab's checks share: h2 itself as a client on a raw socket, where the frames are
the point (RST_STREAM, GOAWAY, flow control). The kit (onthewire.labs.kit) gives the rest:
httpx speaking HTTP/2 by prior knowledge (`fetch(..., http2=True)`), curl and h2load (nghttp2)
run as outside clients (`run_tool`), and the waits, each a poll with a deadline.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from pathlib import Path

import h2.config
import h2.connection
import h2.events

from onthewire.labs.kit import TIMEOUT
from onthewire.serving import Running

APPS = Path(__file__).parent / "apps"  # the apps the checks serve; `serve` puts them on the import path


class RawClient:
    """h2 as a client on a plain socket: send exactly the frames a check needs, see every event."""

    def __init__(self, server: Running) -> None:
        self.sock = socket.create_connection((server.host, server.port), timeout=TIMEOUT)
        self.h2 = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding=None))
        self.events: list[h2.events.Event] = []
        self.closed = False
        self.h2.initiate_connection()
        self.flush()

    def flush(self) -> None:
        data = self.h2.data_to_send()
        if data:
            self.sock.sendall(data)

    def request(self, path: str, method: str = "GET", end_stream: bool = True) -> int:
        stream_id = self.h2.get_next_available_stream_id()
        self.h2.send_headers(stream_id, [(b":method", method.encode()), (b":scheme", b"http"),
                                         (b":authority", b"127.0.0.1"), (b":path", path.encode())],
                             end_stream=end_stream)
        self.flush()
        return stream_id

    def wait_for(self, found: Callable[[h2.events.Event], bool], waiting_for: str,
                 timeout: float = TIMEOUT, since: int = 0) -> h2.events.Event:
        """Read until an event for which `found` is true arrives (among the events from number
        `since` on); fail after `timeout` s."""
        deadline_at = time.monotonic() + timeout
        seen = since
        while True:
            for event in self.events[seen:]:
                if found(event):
                    return event
            seen = len(self.events)
            left = deadline_at - time.monotonic()
            if self.closed or left <= 0:
                end = "the connection closed" if self.closed else f"{timeout:g} s passed"
                names = ", ".join(type(e).__name__ for e in self.events[-8:]) or "nothing"
                raise AssertionError(f"{end} before {waiting_for}; the last events were: {names}")
            self.sock.settimeout(left)
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                continue
            except ConnectionError:
                data = b""
            if not data:
                self.closed = True
                continue
            for event in self.h2.receive_data(data):
                self.events.append(event)
                if isinstance(event, h2.events.DataReceived):
                    self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            self.flush()

    def body(self, stream_id: int) -> bytes:
        """The DATA received so far on a stream."""
        return b"".join(e.data for e in self.events
                        if isinstance(e, h2.events.DataReceived) and e.stream_id == stream_id)

    def status(self, stream_id: int) -> str:
        """The :status of a stream's response, or "none"."""
        for event in self.events:
            if isinstance(event, h2.events.ResponseReceived) and event.stream_id == stream_id:
                return dict(event.headers).get(b":status", b"none").decode()
        return "none"

    def close(self) -> None:
        self.sock.close()
