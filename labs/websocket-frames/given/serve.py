"""An echo WebSocket server around frames.Connection: `wire start websocket-frames` runs it.

    python serve.py [--host 127.0.0.1] [--port 8765]

Then talk to it with a real client, from another terminal:

    .venv/bin/python -m websockets ws://127.0.0.1:8765/

Each line you type comes back. This file is given: it does the opening handshake (RFC 6455
section 4.2) and moves bytes between the socket and your Connection, one thread per client.
Everything about frames happens in frames.py.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import socket
import socketserver
import sys

from frames import Close, Connection, Message, ProtocolError

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # section 1.3: fixed by the RFC
MAX_HEAD = 8192  # bytes of handshake request we read before giving up


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- The opening handshake (HTTP/1.1, section 4.2) ---------------------------------------------


def accept_key(key: bytes) -> bytes:
    """Sec-WebSocket-Accept for a Sec-WebSocket-Key: base64(SHA-1(key + GUID))."""
    return base64.b64encode(hashlib.sha1(key + GUID).digest())


def handshake(sock: socket.socket) -> bytes | None:
    """Read the upgrade request and answer 101; return the bytes read past it, or None
    (after answering 400 or 426) if it is no WebSocket handshake."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk or len(data) > MAX_HEAD:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    request_line, *lines = head.split(b"\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if headers.get(b"upgrade", b"").lower() != b"websocket":
        body = b"This is a WebSocket server: connect with a WebSocket client.\n"
        sock.sendall(b"HTTP/1.1 426 Upgrade Required\r\nUpgrade: websocket\r\nConnection: close\r\n"
                     b"Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        return None
    key = headers.get(b"sec-websocket-key")
    if not request_line.startswith(b"GET ") or not key or headers.get(b"sec-websocket-version") != b"13":
        sock.sendall(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        return None
    # No Sec-WebSocket-Extensions in the answer: no extension (such as compression) is agreed,
    # so the reserved bits must stay 0.
    sock.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 b"Sec-WebSocket-Accept: " + accept_key(key) + b"\r\n\r\n")
    return rest


# --- Echo: the socket on one side, your Connection on the other ---------------------------------


def echo(sock: socket.socket, pending: bytes) -> str:
    """Send every message back until the connection closes; return how it ended."""
    conn = Connection("server")
    data = pending
    while True:
        try:
            events = conn.receive(data) if data else []
        except ProtocolError as error:
            # Section 7.1.7, failing the connection: say why in a Close frame, then hang up.
            conn.send_close(error.close_code, error.reason)
            sock.sendall(conn.data_to_send())
            return f"failed it with {error.close_code} ({error.reason})"
        for event in events:
            if isinstance(event, Message) and isinstance(event.data, str):
                conn.send_text(event.data)
            elif isinstance(event, Message):
                conn.send_binary(event.data)
        sock.sendall(conn.data_to_send())  # echoes, pongs, and the answer to a Close
        closing = [event for event in events if isinstance(event, Close)]
        if closing:
            # Section 7.1.1: the server closes the TCP connection first.
            return f"closed with {closing[0].code}"
        data = sock.recv(65536)
        if not data:
            return "left without a Close frame"


class Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(10)  # for the handshake; after it, a WebSocket may idle for long
        pending = handshake(sock)
        if pending is None:
            return
        sock.settimeout(None)
        peer = "%s:%d" % self.client_address[:2]
        log(f"client {peer} connected")
        log(f"client {peer} {echo(sock, pending)}")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    with Server((args.host, args.port), Handler) as server:
        log(f"echo server on ws://{args.host}:{args.port}/")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
