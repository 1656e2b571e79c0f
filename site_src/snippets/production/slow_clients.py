"""A slow client holds a sync worker; Nginx in front takes the slowness on itself.

One Gunicorn sync worker. A slow client (a phone on a poor network) uploads a small body
in pieces over SLOW_SECONDS, or downloads a large response at that pace. While it does, a
quick client asks for `/`. How long does the quick client wait?

- Gunicorn alone: the worker reads the body (or writes the response) at the slow client's
  pace, and the quick client waits in the listen queue until it is over.
- Nginx in front, buffering (its default): Nginx receives the whole body before it
  connects to Gunicorn, and receives the whole response as fast as Gunicorn writes it,
  keeping it in memory or a temporary file. The worker is busy for milliseconds.
- Nginx in front with buffering turned off: Nginx passes bytes through as they come, so the
  worker is held again. Buffering, not the proxy as such, is what frees it.

Run it:  python slow_clients.py   (the upload, alone and behind Nginx)
Try:     the notebook slow-clients.ipynb runs every case, downloads included.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from onthewire.serving import HOST
from snippets.production.servers import gunicorn, nginx

SLOW_SECONDS = 1.5
PIECES = 10
UPLOAD = b"x" * 50_000  # a form with a photo, say: under Nginx's 1 MB client_max_body_size
DOWNLOAD_MB = 16  # more than the socket buffers hold (a few MB), so the writer has to wait
SETUPS = ("gunicorn alone", "nginx in front", "nginx, buffering off")


@dataclass
class Progress:
    """How much of its transfer a slow client has done (0 to 1), shared with the thread that
    asks the quick question: where the slow one had got when the quick one was answered is an
    ordering, which a busy machine does not change, where a time would stretch."""

    done: float = 0.0
    started: threading.Event = field(default_factory=threading.Event)

    def advance(self, done: float) -> None:
        self.done = done
        self.started.set()


# --8<-- [start:upload]
def slow_upload(port: int, progress: Progress) -> bytes:
    """POST /upload, sending the body in PIECES over SLOW_SECONDS; return the status line."""
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(b"POST /upload HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(UPLOAD))
        step = len(UPLOAD) // PIECES
        for n in range(PIECES):
            progress.advance((n + 1) / PIECES)  # counted before it goes: never behind the server
            sock.sendall(UPLOAD[n * step:(n + 1) * step])
            time.sleep(SLOW_SECONDS / PIECES)  # the slow network
        return _read_all(sock).split(b"\r\n", 1)[0]
# --8<-- [end:upload]


# --8<-- [start:download]
def slow_download(port: int, progress: Progress) -> bytes:
    """GET /big, reading the response at a pace that takes SLOW_SECONDS; return the status line."""
    with socket.socket() as sock:
        # A small receive buffer, set before connecting: the kernel cannot read ahead for us.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        sock.settimeout(30)
        sock.connect((HOST, port))
        sock.sendall(b"GET /big?mb=%d HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n" % DOWNLOAD_MB)
        total = DOWNLOAD_MB * 1024 * 1024
        got = first = sock.recv(65536)
        progress.advance(_body_done(got, total))  # the response has begun: the server is writing it
        began = time.monotonic()
        while chunk := sock.recv(65536):
            got += chunk
            progress.advance(_body_done(got, total))
            ahead = SLOW_SECONDS * len(got) / total - (time.monotonic() - began)
            if ahead > 0:
                time.sleep(ahead)  # read no faster than the slow network would
        return first.split(b"\r\n", 1)[0]
# --8<-- [end:download]


def _body_done(got: bytes, total: int) -> float:
    """How much of a response's body has arrived (0 to 1): its head is not counted, so the whole
    body read is exactly 1."""
    head_end = got.find(b"\r\n\r\n")
    return 0.0 if head_end < 0 else (len(got) - head_end - 4) / total


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def quick_request(port: int) -> float:
    """GET / on a connection of its own; return how long the answer took, in seconds."""
    started = time.perf_counter()
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n")
        assert _read_all(sock).startswith(b"HTTP/1.1 200 ")
    return time.perf_counter() - started


@contextlib.contextmanager
def setup(name: str) -> Iterator[int]:
    """One sync worker, alone or behind Nginx; yield the port clients connect to."""
    with gunicorn("--workers", "1", "--worker-class", "sync") as app:
        if name == "gunicorn alone":
            yield app.port
            return
        with nginx(app.port, location="buffered" if name == "nginx in front" else "unbuffered") as proxy:
            yield proxy.server.port


# --8<-- [start:measure]
def race(name: str, slow_client=slow_upload) -> tuple[float, float, bytes]:
    """Start a slow client, then a quick GET. Return how long the GET waited, how much of the
    slow transfer was done when it was answered (0 to 1), and the slow one's status line."""
    with setup(name) as port:
        progress = Progress()
        result = {}
        slow = threading.Thread(target=lambda: result.update(status=slow_client(port, progress)))
        slow.start()
        progress.started.wait(timeout=10)
        waited = quick_request(port)
        done = progress.done
        slow.join()
    return waited, done, result["status"]
# --8<-- [end:measure]


def when_answered(done: float) -> str:
    """Where the slow client had got when the quick GET was answered, in words."""
    if done < 0.5:
        return "answered at once"
    return "waited for the slow client to finish"


if __name__ == "__main__":
    print(f"A slow client uploads {len(UPLOAD):,} bytes over {SLOW_SECONDS} s; meanwhile a quick GET:")
    for name in SETUPS[:2]:
        _, done, status = race(name)
        print(f"  {name:15} the quick GET {when_answered(done)}; the upload got {status.decode()}")
