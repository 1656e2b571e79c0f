"""The clients the checks use: httpx for ordinary requests, h11 (a strict HTTP/1.1 parser) when a
connection carries several responses or the framing is the point, and raw sockets where the
timing of the bytes is the point. Every network call gives up after a few seconds, so a failing
check fails fast; every wait is a poll with a deadline.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import h11
import httpx
from onthewire.serving import Running

APPS = Path(__file__).parent / "apps"  # the apps the checks serve; `serve` puts them on the import path
TIMEOUT = 2.0  # seconds to wait for any answer
SERVER_TIMEOUT = 1.0  # the --timeout the checks give the server: how long it may let a client stay silent


def shown(data: bytes, limit: int = 160) -> str:
    """Bytes as a short, readable repr for a failure message."""
    text = repr(data)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def last_error(server: Running, wait: float = 1.0) -> str:
    """The last exception line in the server's output, like "KeyError: 'path'", or ""."""
    deadline = time.monotonic() + wait
    while True:
        found = re.findall(r"^[\w.]*(?:Error|Exception|Disconnected)(?:: .*)?$", server.output(), re.MULTILINE)
        if found or time.monotonic() > deadline:
            return found[-1].strip() if found else ""
        time.sleep(0.02)  # a poll interval


def why(server: Running) -> str:
    """" (the server said: ...)" when the server printed an exception, for a failure message.

    Call it while the server runs: its output goes when `serve()` ends.
    """
    try:
        error = last_error(server, wait=0.3)
    except FileNotFoundError:
        return ""
    return f" (the server said: {error[:150]})" if error else ""


def fetch(server: Running, method: str, path: str, **kwargs: object) -> httpx.Response:
    """One request with httpx; a missing or broken response becomes a readable AssertionError."""
    try:
        with httpx.Client(base_url=server.url, timeout=TIMEOUT) as client:
            return client.request(method, path, **kwargs)  # type: ignore[arg-type]
    except httpx.TimeoutException:
        raise AssertionError(f"{method} {path}: no response within {TIMEOUT:g} s{why(server)}") from None
    except httpx.HTTPError as e:
        raise AssertionError(f"{method} {path}: no proper response ({type(e).__name__}: {e}){why(server)}") from None


def connect(server: Running) -> socket.socket:
    return socket.create_connection((server.host, server.port), timeout=TIMEOUT)


def read_until_closed(sock: socket.socket, timeout: float = TIMEOUT) -> bytes:
    """Everything the server sends until it closes the connection (a reset counts as closed)."""
    received = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            sock.settimeout(max(deadline - time.monotonic(), 0.01))
            data = sock.recv(65536)
            if not data:
                return received
            received += data
    except ConnectionResetError:
        return received
    except TimeoutError:
        pass
    raise AssertionError(f"the server kept the connection open for {timeout:g} s without finishing; "
                         f"got {shown(received)}")


def read_until(sock: socket.socket, marker: bytes, waiting_for: str) -> bytes:
    """Read until `marker` has arrived; fail with `waiting_for` in the message after the timeout."""
    received = b""
    deadline = time.monotonic() + TIMEOUT
    while marker not in received:
        try:
            sock.settimeout(max(deadline - time.monotonic(), 0.01))
            data = sock.recv(65536)
        except TimeoutError:
            data = None
        except ConnectionResetError:
            data = b""
        if not data:
            end = "the connection closed" if data == b"" else f"{TIMEOUT:g} s passed"
            raise AssertionError(f"{end} before {waiting_for}; got {shown(received)}")
        received += data
    return received


def exchange(server: Running, data: bytes, timeout: float = TIMEOUT) -> bytes:
    """Send raw bytes on a new connection; return all the server sends back before it closes."""
    with connect(server) as sock:
        sock.sendall(data)
        return read_until_closed(sock, timeout)


def wait_for_file(path: Path, timeout: float = TIMEOUT, containing: str = "") -> str | None:
    """The file's text once it exists (and contains `containing`), or None after the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            text = path.read_text()
            if containing in text:
                return text
        time.sleep(0.02)  # a poll interval
    return path.read_text() if path.exists() else None


def wait_for_exit(server: Running, timeout: float) -> int | None:
    """The server's exit code once it has exited, or None if it is still running after `timeout` s."""
    try:
        return server.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None


def refuses_connections(server: Running, timeout: float = TIMEOUT) -> bool:
    """True once a new connection is refused (the server has stopped listening), polled until `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((server.host, server.port), timeout=0.5).close()
        except ConnectionRefusedError:
            return True
        except OSError:
            pass
        time.sleep(0.02)  # a poll interval
    return False


def exit_status(code: int | None) -> str:
    """A process's exit code in words, for a failure message."""
    if code is None:
        return "still running"
    if code < 0:
        return f"killed by {signal.Signals(-code).name} (code {code}): nothing handled the signal"
    return f"exited with code {code}"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


class Connection:
    """One connection carrying several requests (keep-alive), each response framed by h11."""

    def __init__(self, server: Running) -> None:
        self.sock = connect(server)
        self.host = f"{server.host}:{server.port}"
        self.http = h11.Connection(h11.CLIENT)
        self.count = 0

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()

    def request(self, method: str, target: str, body: bytes = b"", headers: Iterable[tuple[str, str]] = ()) -> Reply:
        self.count += 1
        which = f"request {self.count} on the connection ({method} {target})"
        if self.http.our_state is h11.DONE:
            if self.http.their_state is not h11.DONE:
                raise AssertionError(f"{which}: the server had said it would close the connection "
                                     "after the previous response")
            self.http.start_next_cycle()
        fields = [("Host", self.host), *headers]
        if body or method == "POST":
            fields.append(("Content-Length", str(len(body))))
        try:
            self.sock.sendall(self.http.send(h11.Request(method=method, target=target, headers=fields)))
            if body:
                self.sock.sendall(self.http.send(h11.Data(data=body)))
            self.sock.sendall(self.http.send(h11.EndOfMessage()))
        except OSError as e:
            raise AssertionError(f"{which}: the server had closed the connection after the previous response "
                                 f"({e})") from None
        return self._reply(which)

    def _reply(self, which: str) -> Reply:
        status, headers, body = 0, {}, b""
        while True:
            try:
                event = self.http.next_event()
            except h11.RemoteProtocolError as e:
                raise AssertionError(f"{which}: the response is not valid HTTP/1.1 ({e})") from None
            if event is h11.NEED_DATA:
                try:
                    self.http.receive_data(self.sock.recv(65536))
                except TimeoutError:
                    raise AssertionError(f"{which}: no complete response within {TIMEOUT:g} s") from None
                except ConnectionResetError:
                    self.http.receive_data(b"")
            elif isinstance(event, h11.Response):
                status = event.status_code
                for name, value in event.headers:
                    key, text = name.decode().lower(), value.decode("latin-1")
                    headers[key] = f"{headers[key]}, {text}" if key in headers else text
            elif isinstance(event, h11.Data):
                body += bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                return Reply(status, headers, body)
            elif isinstance(event, h11.ConnectionClosed):
                raise AssertionError(f"{which}: the server closed the connection without a complete response"
                                     + (f" (after {shown(body)})" if body else ""))
