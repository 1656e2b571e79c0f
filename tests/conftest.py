"""Shared fixtures: the built site, a guard that tests leave no process or port behind, and
`wire` run as a process the way a learner runs it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from onthewire import paths
from onthewire.serving import HOST, free_port, wait_for_port

BIN = Path(sys.executable).parent


def listening_ports() -> set[int]:
    """TCP ports this test process, or any process it started, listens on right now.

    (Only our own: other programs on the machine may come and go while the tests run.)
    """
    ours = [psutil.Process(), *children()]
    ports = set()
    for process in ours:
        try:
            ports |= {c.laddr.port for c in process.net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN}
        except psutil.NoSuchProcess:
            pass
    return ports


# Every process the tests start inherits this variable, so a leftover is found even after its
# parent died and it was re-parented (a server started with start_new_session, say).
_MARK = "ONTHEWIRE_TEST_RUN"
os.environ.setdefault(_MARK, uuid.uuid4().hex)
# gunicorn 25+ opens a control socket at ~/.gunicorn/gunicorn.ctl: two at once, in parallel
# test workers, would fight over it. (GUNICORN_CMD_ARGS is gunicorn's own way to add options.)
os.environ.setdefault("GUNICORN_CMD_ARGS", "--no-control-socket")
if "PYTEST_XDIST_WORKER" in os.environ:  # each worker process guards its own processes only
    os.environ[_MARK] = uuid.uuid4().hex


def children() -> list[psutil.Process]:
    """Live processes started by this test run, wherever they are in the process tree now."""
    found = []
    for process in psutil.process_iter():
        if process.pid == os.getpid():
            continue
        try:
            if process.environ().get(_MARK) == os.environ[_MARK] and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            pass
    return found


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per test run with the same command as `make site` (strict)."""
    out = tmp_path_factory.mktemp("site")
    # Test workers in parallel each build; one at a time, so that the later ones find the
    # snippet and notebook caches the first one filled.
    paths.CACHE.mkdir(parents=True, exist_ok=True)
    with (paths.CACHE / "build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = _build(out)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return out


def _build(out: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(out)],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.fixture
def no_leftovers() -> Iterator[None]:
    """Fail the test if it leaves a child process, a thread or a new listening port behind."""
    before_ports = listening_ports()
    before_threads = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    for thread in set(threading.enumerate()) - before_threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    threads = [t.name for t in set(threading.enumerate()) - before_threads if t.is_alive()]
    assert not threads, f"threads left running: {threads}"
    left = children()
    assert not left, f"processes left running: {[p.cmdline() for p in left]}"
    new_ports = listening_ports() - before_ports
    assert not new_ports, f"ports left listening: {sorted(new_ports)}"


@dataclass
class WireProcess:
    """`wire` serving on `port`; once stopped, what it printed and its exit code."""

    process: subprocess.Popen
    port: int
    out: str = ""
    err: str = ""  # empty when stderr went to `out`
    code: int | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


WireStarter = Callable[..., contextlib.AbstractContextManager[WireProcess]]


@pytest.fixture
def wire_process() -> WireStarter:
    """`with wire_process("start", "wsgi-server", "--solution", cwd=..., workspace=...) as wire:`
    runs `wire ARGS --port P` on a free port, yields once it listens (`wire.url`), then stops it
    as a learner does, with Ctrl-C (or `stop_with`), and keeps its output and exit code.

    `workspace`: the WIRE_WORKSPACE it uses; `stderr=False` keeps stderr apart in `wire.err`.
    """

    @contextlib.contextmanager
    def start(*args: str, cwd: Path | None = None, workspace: Path | None = None, stop_with: int = signal.SIGINT,
              stderr: bool = True) -> Iterator[WireProcess]:
        port = free_port()
        env = {**os.environ, **({"WIRE_WORKSPACE": str(workspace)} if workspace else {})}
        process = subprocess.Popen([str(BIN / "wire"), *args, "--port", str(port)], cwd=cwd, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT if stderr else subprocess.PIPE)
        wire = WireProcess(process, port)
        try:
            wait_for_port(port, process=process)
            yield wire
        finally:
            process.send_signal(stop_with)
            wire.out, err = process.communicate(timeout=10)
            wire.err, wire.code = err or "", process.returncode

    return start
