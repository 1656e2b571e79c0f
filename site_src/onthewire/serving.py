"""Start real servers on 127.0.0.1 and stop them again: one helper for notebooks, lab checks
and tests alike, so that what a notebook shows is what the tests exercise.

Readiness is always polled (a TCP connect, or the server's own "started" flag), never slept for.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

HOST = "127.0.0.1"


class ServerDidNotStart(RuntimeError):
    """A server process exited, or never listened, before its deadline."""


def free_port(host: str = HOST) -> int:
    """A port that was free a moment ago (the kernel picks it)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_in_use(port: int, host: str = HOST) -> bool:
    """True when something already listens on (host, port), or the port cannot be bound."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def wait_for_port(
    port: int,
    host: str = HOST,
    timeout: float = 15.0,
    process: subprocess.Popen | None = None,
) -> None:
    """Poll until (host, port) accepts a connection; fail early if `process` exits."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        if process is not None and process.poll() is not None:
            raise ServerDidNotStart(f"the server exited with code {process.returncode} before listening")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise ServerDidNotStart(f"nothing listened on {host}:{port} within {timeout:g} s") from None
            time.sleep(delay)  # a poll interval, not a readiness guess
            delay = min(delay * 2, 0.1)


class _QuietHandler(WSGIRequestHandler):
    """wsgiref's handler without its per-request log line (timestamps make outputs unstable)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def _in_thread(server: socketserver.BaseServer) -> Iterator[str]:
    """Run a socketserver-based server in a thread until the block ends; yield its base URL."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def serving_wsgi(
    app: Callable,
    *,
    handler_class: type[WSGIRequestHandler] = _QuietHandler,
    server_class: type[WSGIServer] = WSGIServer,
) -> Iterator[str]:
    """Serve a WSGI app with wsgiref in a thread; yield its base URL; stop it on exit.

    `server_class` may mix in socketserver.ThreadingMixIn for a thread per request; keep its
    threads non-daemon (the default) so that stopping waits for requests still running.
    """
    server: WSGIServer = make_server(HOST, 0, app, server_class=server_class, handler_class=handler_class)
    with _in_thread(server) as url:
        yield url


@contextlib.contextmanager
def serving_asgi(app: Any, **config: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn in a thread; yield its base URL; stop it on exit."""
    import uvicorn

    port = free_port()
    settings = {"host": HOST, "port": port, "log_level": "warning", "lifespan": "auto"} | config
    server = uvicorn.Server(uvicorn.Config(app, **settings))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise ServerDidNotStart("uvicorn did not start")
            time.sleep(0.01)  # polling uvicorn's own started flag
        yield f"http://{HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class Running:
    """A server process started by `running()`."""

    process: subprocess.Popen
    host: str
    port: int
    log: Path
    final_output: str | None = None  # kept once the process is stopped and its log removed

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def output(self) -> str:
        """Everything the process printed so far (stdout and stderr together); after the
        `running()` block, everything it printed."""
        if self.final_output is not None:
            return self.final_output
        return self.log.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 15.0) -> None:
        """Poll the server's output until `text` appears in it (a log line that marks a state)."""
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if time.monotonic() > deadline:
                raise ServerDidNotStart(f"{text!r} not in the server's output within {timeout:g} s:\n{self.output()}")
            time.sleep(0.02)  # a poll interval


def stop(process: subprocess.Popen, grace: float = 5.0) -> int:
    """Ask a process to stop (SIGTERM), kill it after `grace` seconds; return its exit code."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=grace)
    return process.returncode


@contextlib.contextmanager
def running(
    command: Sequence[str],
    *,
    port: int,
    host: str = HOST,
    cwd: str | os.PathLike | None = None,
    env: dict[str, str] | None = None,
    ready_timeout: float = 15.0,
) -> Iterator[Running]:
    """Run a server command that listens on (host, port); yield once it accepts connections.

    Its output goes to a temporary log (see `Running.output()`); on exit it is stopped and
    reaped, so no process outlives the block.
    """
    with tempfile.TemporaryDirectory(prefix="onthewire-") as tmp:
        log = Path(tmp) / "server.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                list(command),
                cwd=cwd,
                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
                stdout=sink,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        try:
            try:
                wait_for_port(port, host, timeout=ready_timeout, process=process)
            except ServerDidNotStart as e:
                raise ServerDidNotStart(f"{e}; its output:\n{log.read_text(errors='replace')}") from None
            server = Running(process, host, port, log)
            yield server
        finally:
            stop(process)
            if "server" in locals():
                server.final_output = log.read_text(errors="replace")


def python() -> str:
    """The interpreter running the course (the venv's), for starting servers in subprocesses."""
    return sys.executable


@contextlib.contextmanager
def serving_directory(directory: str | os.PathLike) -> Iterator[str]:
    """Serve a folder of static files (a built site) in a thread; yield its base URL."""
    import functools
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class _Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((HOST, 0), functools.partial(_Quiet, directory=str(directory)))
    with _in_thread(server) as url:
        yield url


# --- Serving in the foreground until a signal (`wire trace`) ---------------------------------

class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a client that never finishes must not keep the server from stopping


def _stop_on(*signums: int) -> None:
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    for signum in signums:
        signal.signal(signum, stop)


def serve_asgi_until_stopped(app: Any, port: int) -> None:
    """Serve an ASGI app with uvicorn in this process on HOST:port until SIGINT, SIGTERM or SIGHUP.

    uvicorn handles SIGINT and SIGTERM itself (a graceful stop, lifespan shutdown included),
    then raises the signal again to the handler it found: ours, which returns quietly.
    """
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host=HOST, port=port, log_level="warning", lifespan="auto"))
    _stop_on(signal.SIGINT, signal.SIGTERM)
    signal.signal(signal.SIGHUP, lambda signum, frame: server.handle_exit(signal.SIGTERM, frame))
    try:
        server.run()
    except KeyboardInterrupt:
        pass


def serve_wsgi_until_stopped(app: Callable, port: int) -> None:
    """Serve a WSGI app with wsgiref, a thread per request, on HOST:port until a signal."""
    httpd = make_server(HOST, port, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    _stop_on(signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    try:
        httpd.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()

