"""The check kit: what every lab's checks use to reach the code under test and to say what went
wrong, so that each lab's checks hold only what is particular to its protocol.

A failure speaks in one voice: the behaviour that failed is the check's docstring (the harness
prints it), the message says what was seen (`shown()`, and `why()` for what the server said),
and the docstring's "Look at:" line says where to look. Every network call gives up after a
few seconds and every wait is a poll with a deadline, so that a failing check fails fast; the
harness bounds each whole check as well (lab.toml's `[checks] deadline`).

The server under test is started with the harness's `serve` fixture, never by hand.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import NoReturn

import h11
import httpx
import psutil
import pytest

from onthewire.serving import Running

__all__ = [
    "TIMEOUT", "fail", "shown", "last_error", "why", "last_words", "where",
    "until", "async_until", "wait_for_file", "wait_for_output", "wait_for_exit", "refuses_connections",
    "exit_status", "TookTooLong", "deadline",
    "client", "fetch", "connect", "read_until", "read_until_closed", "exchange", "Reply", "Connection",
    "refuses_unimportable_apps", "run_tool", "import_file", "Family",
]

TIMEOUT = 3.0  # seconds a check waits for any one answer, unless it says otherwise
# Apps more than one lab's checks serve (a Django project): pass as serve(app_dir=COURSE_APPS).
COURSE_APPS = Path(__file__).parent / "apps"
_POLL = 0.02  # seconds between two looks at something polled


# --- Saying what went wrong ----------------------------------------------------------------------


def fail(message: str) -> NoReturn:
    """Fail the check with `message` only: no traceback of the checks' own code."""
    pytest.fail(message, pytrace=False)


def shown(value: object, limit: int = 160, *, as_hex: bool = False) -> str:
    """A value as a short, readable text for a failure message: bytes and text as their repr,
    JSON data as JSON, cut to about `limit` characters (`as_hex`: bytes as hex, `limit` bytes)."""
    if as_hex and isinstance(value, (bytes, bytearray)):
        data = bytes(value)
        return data[:limit].hex(" ") + (f" ... ({len(data)} bytes)" if len(data) > limit else "")
    text = json.dumps(value) if isinstance(value, (dict, list)) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# A Python exception's last line ("KeyError: 'path'", "h11._util.LocalProtocolError: ...").
_ERROR_LINE = re.compile(r"^[\w.]*(?:Error|Exception|Disconnected)(?:: .*)?$", re.MULTILINE)
# nginx's fatal message names the line of its configuration it could not load.
_NGINX_EMERG = re.compile(r"\[emerg\] (.*)$", re.MULTILINE)


def last_error(server: Running, wait: float = 0.3) -> str:
    """The last error line in the server's output, like "KeyError: 'path'", or "".

    A server may close the connection before it prints the traceback: `wait` polls that long
    for one. Call it while the server runs (or after `serve()`, from what it printed)."""
    stop_at = time.monotonic() + wait
    while True:
        try:
            found = _ERROR_LINE.findall(server.output())
        except FileNotFoundError:
            return ""
        if found or time.monotonic() >= stop_at:
            return found[-1].strip() if found else ""
        time.sleep(_POLL)  # a poll interval


def why(server: Running, wait: float = 0.3) -> str:
    """" (the server said: ...)" when the server printed an error, for the end of a message."""
    error = last_error(server, wait)
    return f" (the server said: {error[:150]})" if error else ""


def last_words(output: str) -> str:
    """What a process that stopped said last: nginx's [emerg] message, else its last error line,
    else its last line."""
    found = (_NGINX_EMERG.findall(output) or _ERROR_LINE.findall(output)
             or [line for line in output.splitlines() if line.strip()] or ["nothing"])
    return found[-1].strip()[:200]


def where(error: BaseException) -> str:
    """'FrameDecoder.next_frame() (frames.py line 97)': the last place in the code under check
    that `error` passed through, or "" when it never did."""
    root = os.environ.get("WIRE_CODE_DIR")
    if not root:
        return ""
    base = Path(root).resolve()
    for frame, line in reversed(list(traceback.walk_tb(error.__traceback__))):
        file = Path(frame.f_code.co_filename).resolve()
        if file.is_relative_to(base):
            return f"{frame.f_code.co_qualname}() ({file.relative_to(base)} line {line})"
    return ""


# --- Waiting: always a poll with a deadline, never a fixed sleep -------------------------------------


def until(condition: Callable[[], object], timeout: float = TIMEOUT) -> bool:
    """Poll `condition` until it holds (True) or `timeout` seconds pass (False)."""
    stop_at = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > stop_at:
            return False
        time.sleep(_POLL)  # a poll interval
    return True


async def async_until(condition: Callable[[], object], timeout: float = TIMEOUT) -> bool:
    """`until()` for a check running an event loop: the loop goes on while it polls."""
    import asyncio

    stop_at = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > stop_at:
            return False
        await asyncio.sleep(0.01)  # a poll interval
    return True


def wait_for_file(path: Path, containing: str | None = None, timeout: float = TIMEOUT) -> str | None:
    """The file's text once it exists and is not empty (and holds `containing`, if given), or
    None when that did not happen within `timeout` s. Apps write their markers whole
    (onthewire.labs.apps.markers), so a text read here is never half written."""
    found: list[str] = []

    def ready() -> bool:
        try:
            text = path.read_text()
        except FileNotFoundError:
            return False
        if text and (containing is None or containing in text):
            found.append(text)
            return True
        return False

    return found[-1] if until(ready, timeout) else None


def wait_for_output(server: Running, text: str, timeout: float = TIMEOUT) -> bool:
    """True once the server has printed `text` (a log line that marks a state), False after `timeout` s."""
    return until(lambda: text in server.output(), timeout)


def wait_for_exit(server: Running, timeout: float) -> int | None:
    """The server's exit code once it has exited, or None if it still runs after `timeout` s."""
    try:
        return server.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None


def refuses_connections(server: Running, timeout: float = TIMEOUT) -> bool:
    """True once a new connection is refused (the server stopped listening), polled until `timeout`."""

    def refused() -> bool:
        try:
            socket.create_connection((server.host, server.port), timeout=0.5).close()
        except ConnectionRefusedError:
            return True
        except OSError:
            pass
        return False

    return until(refused, timeout)


def exit_status(code: int | None) -> str:
    """A process's exit code in words, for a failure message."""
    if code is None:
        return "still running"
    if code < 0:
        return f"killed by {signal.Signals(-code).name} (code {code}): nothing handled the signal"
    return f"exited with code {code}"


# --- A deadline for code that may never return --------------------------------------------------------


class TookTooLong(BaseException):
    """Raised by deadline(): a BaseException, so that an `except Exception` in the code under
    check cannot swallow it."""


@contextlib.contextmanager
def deadline(seconds: float, what: str = "the check") -> Iterator[None]:
    """Fail the check when the block runs longer than `seconds` (a client waiting for ever, a
    loop that never ends), saying where in the code under check it was stuck.

    SIGALRM, so only in the main thread; a deadline inside another puts the outer one back."""

    def alarm(signum: int, frame: object) -> None:
        raise TookTooLong

    start = time.monotonic()
    previous = signal.signal(signal.SIGALRM, alarm)
    outer_left, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except TookTooLong as error:
        stuck = where(error)
        fail(f"{what} took longer than {seconds:g} s"
             + (f", stuck in {stuck}: a loop that never ends?" if stuck else ""))
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            signal.setitimer(signal.ITIMER_REAL, max(0.001, outer_left - (time.monotonic() - start)))


# --- HTTP: httpx for ordinary requests, h11 or raw sockets where the framing is the point ----------


def client(server: Running, *, http2: bool = False, timeout: float = TIMEOUT) -> httpx.Client:
    """httpx for the server under test; `http2`: HTTP/2 only, by prior knowledge (no Upgrade, no ALPN)."""
    return httpx.Client(base_url=server.url, http1=not http2, http2=http2, timeout=timeout)


def fetch(server: Running, method: str, path: str, *, http2: bool = False, timeout: float = TIMEOUT,
          **kwargs: object) -> httpx.Response:
    """One request with httpx; a missing or broken response becomes a readable AssertionError."""
    try:
        with client(server, http2=http2, timeout=timeout) as c:
            return c.request(method, path, **kwargs)  # type: ignore[arg-type]
    except httpx.TimeoutException:
        raise AssertionError(f"{method} {path}: no response within {timeout:g} s{why(server)}") from None
    except httpx.HTTPError as e:
        raise AssertionError(f"{method} {path}: no proper response ({type(e).__name__}: {e}){why(server)}") from None


def connect(server: Running, timeout: float = TIMEOUT) -> socket.socket:
    """A plain TCP connection to the server, each read giving up after `timeout` s."""
    return socket.create_connection((server.host, server.port), timeout=timeout)


def read_until_closed(sock: socket.socket, timeout: float = TIMEOUT) -> bytes:
    """Everything the server sends until it closes the connection (a reset counts as closed)."""
    received = b""
    stop_at = time.monotonic() + timeout
    try:
        while time.monotonic() < stop_at:
            sock.settimeout(max(stop_at - time.monotonic(), 0.01))
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


def read_until(sock: socket.socket, marker: bytes, waiting_for: str, timeout: float = TIMEOUT) -> bytes:
    """Read until `marker` has arrived; fail with `waiting_for` in the message after `timeout` s."""
    received = b""
    stop_at = time.monotonic() + timeout
    while marker not in received:
        try:
            sock.settimeout(max(stop_at - time.monotonic(), 0.01))
            data = sock.recv(65536)
        except TimeoutError:
            data = None
        except ConnectionResetError:
            data = b""
        if not data:
            end = "the connection closed" if data == b"" else f"{timeout:g} s passed"
            raise AssertionError(f"{end} before {waiting_for}; got {shown(received)}")
        received += data
    return received


def exchange(server: Running, data: bytes, timeout: float = TIMEOUT) -> bytes:
    """Send raw bytes on a new connection; return all the server sends back before it closes."""
    with connect(server, timeout) as sock:
        sock.sendall(data)
        return read_until_closed(sock, timeout)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # lower-case names; repeated fields joined with ", " (RFC 9110 §5.3)
    body: bytes


class Connection:
    """One connection carrying several requests (keep-alive), each response framed by h11, a
    strict HTTP/1.1 parser nobody here wrote."""

    def __init__(self, server: Running, timeout: float = TIMEOUT) -> None:
        self.sock = connect(server, timeout)
        self.timeout = timeout
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
                    raise AssertionError(f"{which}: no complete response within {self.timeout:g} s") from None
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


# --- The command line, outside programs and the learner's own modules --------------------------------


# APP arguments a server cannot import, each with the word its one-line refusal must name.
UNIMPORTABLE_APPS = (("nosuch:app", "nosuch"), ("hello:nosuch", "nosuch"), ("hello", "module:attribute"))


def refuses_unimportable_apps(run_lab: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    """Check that the lab's server, given an APP it cannot import, exits with code 2 and a
    one-line message that names what is missing, with no traceback (as uvicorn and gunicorn do).

    `run_lab` is the harness's fixture."""
    for app, missing in UNIMPORTABLE_APPS:
        try:
            done = run_lab(app=app, timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"server.py {app} did not exit: it should refuse an APP it can't import") from None
        message = done.stderr.strip()
        assert "Traceback" not in message, f"server.py {app} printed a traceback; want one line, like: cannot import ..."
        assert done.returncode == 2, f"server.py {app} exited with code {done.returncode}, want 2"
        assert message and len(message.splitlines()) == 1, f"server.py {app} should print one line, not {shown(message)}"
        assert missing in message, f"server.py {app}: the message {shown(message)} should name {missing!r}"


def run_tool(command: list[str], timeout: float = 20) -> str:
    """An outside client's output (stdout and stderr together); a hang is a failure, not a stuck check."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{command[0]} did not finish within {timeout:g} s") from None
    return done.stdout + done.stderr


def import_file(path: Path, name: str | None = None) -> ModuleType:
    """A module of the code under check, imported into the checks' process from its file (as
    `name`, default the file's stem, registered in sys.modules so that its classes pickle and
    its dataclasses resolve). A missing file or a failing import fails the check in one line."""
    name = name or path.stem
    if not path.is_file():
        fail(f"there is no {path.name} in {path.parent.name}/")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, f"{path.name} cannot be imported"
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # the learner's code: any error is a finding, not a crash of the checks
        del sys.modules[name]
        place = where(error)
        fail(f"{path.name} could not be imported: {type(error).__name__}: {error}" + (f" ({place})" if place else ""))
    return module


class Family:
    """Every process a server started (children, grandchildren: nginx, workers, Redis), noted
    while it runs, so that once it is stopped a check can say which of them outlived it."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        self.members: dict[int, psutil.Process] = {}
        self.left_behind: list[str] = []  # filled in by reap()

    def note(self) -> None:
        """Note the processes below the server now (call it while it runs, and before it stops)."""
        with contextlib.suppress(psutil.NoSuchProcess):
            for member in psutil.Process(self.process.pid).children(recursive=True):
                self.members.setdefault(member.pid, member)

    def reap(self, grace: float = 10.0) -> list[str]:
        """Give the noted processes `grace` s to end; kill those that did not, and name them."""
        until(lambda: not any(_alive(p) for p in self.members.values()), grace)
        for member in self.members.values():
            if _alive(member):
                with contextlib.suppress(psutil.Error):
                    self.left_behind.append(" ".join(member.cmdline()[:3])[:80] or str(member.pid))
                    member.kill()
                    member.wait(5)
        return self.left_behind


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
