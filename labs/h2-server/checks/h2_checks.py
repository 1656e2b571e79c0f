"""The clients the checks use: httpx speaking HTTP/2 by prior knowledge for ordinary requests,
curl and h2load (nghttp2) as outside clients, and h2 itself as a client on a raw socket where
the frames are the point (RST_STREAM, GOAWAY, flow control). Every network call gives up after
a few seconds, so that a failing check fails fast; every wait is a poll with a deadline.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import h2.config
import h2.connection
import h2.events
import httpx
import pytest
from onthewire.serving import Running

APPS = Path(__file__).parent / "apps"  # the apps the checks serve; `serve` puts them on the import path
TIMEOUT = 3.0  # seconds to wait for any answer
CHECK_LIMIT = 45  # seconds any one check may take, whatever it waits for


class TookTooLong(Exception):
    pass


@contextmanager
def deadline(seconds: float, what: str) -> Iterator[None]:
    """Fail the check if the block runs longer than `seconds` (a client waiting for ever)."""

    def alarm(signum: int, frame: object) -> None:
        raise TookTooLong

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except TookTooLong:
        pytest.fail(f"{what} did not finish within {seconds:g} s", pytrace=False)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def shown(data: bytes | str, limit: int = 160) -> str:
    text = repr(data)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def why(server: Running) -> str:
    """" (the server said: ...)" when the server printed an exception, for a failure message."""
    try:
        found = re.findall(r"^[\w.]*(?:Error|Exception)(?:: .*)?$", server.output(), re.MULTILINE)
    except FileNotFoundError:
        return ""
    return f" (the server said: {found[-1].strip()[:150]})" if found else ""


def client(server: Running) -> httpx.Client:
    """httpx speaking HTTP/2 only, by prior knowledge: no Upgrade, no ALPN."""
    return httpx.Client(base_url=server.url, http1=False, http2=True, timeout=TIMEOUT)


def fetch(server: Running, method: str, path: str, **kwargs: object) -> httpx.Response:
    """One request over HTTP/2; a missing or broken response becomes a readable AssertionError."""
    try:
        with client(server) as c:
            return c.request(method, path, **kwargs)  # type: ignore[arg-type]
    except httpx.TimeoutException:
        raise AssertionError(f"{method} {path}: no response within {TIMEOUT:g} s{why(server)}") from None
    except httpx.HTTPError as e:
        raise AssertionError(f"{method} {path}: no proper response ({type(e).__name__}: {e}){why(server)}") from None


def run_tool(command: list[str], timeout: float = 20) -> str:
    """An outside client's output (stdout and stderr); a hang is a failure, not a stuck check."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{command[0]} did not finish within {timeout:g} s") from None
    return done.stdout + done.stderr


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
                 timeout: float = TIMEOUT) -> h2.events.Event:
        """Read until an event for which `found` is true arrives; fail after `timeout` s."""
        deadline_at = time.monotonic() + timeout
        seen = 0
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


def wait_for_file(path: Path, timeout: float = TIMEOUT) -> str | None:
    """The file's text once it exists, or None after the timeout."""
    deadline_at = time.monotonic() + timeout
    while time.monotonic() < deadline_at:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.02)  # a poll interval
    return None
