"""Bytes that are not HTTP/2: one connection fails, the server and its other connections don't."""

from __future__ import annotations

import socket

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import TIMEOUT, fetch, shown

NOT_HTTP2 = [
    b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",  # an HTTP/1.1 client: no preface
    # The preface, then a PING frame 3 bytes long (a PING carries 8: FRAME_SIZE_ERROR, RFC 9113 §6.7)
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes.fromhex("000003 06 00 00000000") + b"abc",
    # The preface, an empty SETTINGS, then DATA on stream 0 (a connection error, RFC 9113 §6.1)
    b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes.fromhex("000000 04 00 00000000 000004 00 01 00000000") + b"abcd",
    bytes(range(256)) * 4,
]


def frame_types(data: bytes) -> list[int]:
    """The types of the frames in `data`: 9-byte headers, a 24-bit length first (RFC 9113 §4.1)."""
    types = []
    while len(data) >= 9:
        types.append(data[3])
        data = data[9 + int.from_bytes(data[:3], "big"):]
    return types


def test_garbage_does_not_crash(serve_app: ServeFactory) -> None:
    """closes a connection that sends no preface or garbage frames, and goes on serving the others

    Look at: Connection.run() (given): h2 raises ProtocolError, and queues a GOAWAY to send
    """
    with serve_app() as server:
        for data in NOT_HTTP2:
            with socket.create_connection((server.host, server.port), timeout=TIMEOUT) as sock:
                sock.sendall(data)
                received = b""
                try:
                    while chunk := sock.recv(65536):
                        received += chunk
                except TimeoutError:
                    raise AssertionError(f"after {shown(data, 40)} the server kept the connection open for "
                                         f"{TIMEOUT:g} s; it should send GOAWAY and close") from None
                except ConnectionResetError:
                    pass
            assert 7 in frame_types(received), \
                f"after {shown(data, 40)} the server closed without a GOAWAY frame (type 7); " \
                f"it sent {shown(received, 60)}"
            assert server.process.poll() is None, f"the server exited after {shown(data, 40)}"
            reply = fetch(server, "GET", "/still-there", http2=True)
            assert reply.http_version == "HTTP/2", f"after {shown(data, 40)}, a new connection got {reply.http_version}"
