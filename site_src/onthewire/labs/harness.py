"""The pytest plugin every lab's checks run under (`wire check` loads it with -p).

Fixtures give a check the lab, the folder of code under test, `serve()`, which starts that code
exactly as `wire start` would, on a free port, `run_lab()` for a run that should end by itself,
and `markers`, a folder the checks' apps write to (onthewire.labs.apps.markers). Every check
runs under a deadline (lab.toml's `[checks] deadline`), and an exception from the code under
check is reported as the place in that code it came from. The report hook writes one line per
check for `wire check` to print: the behaviour (the test's docstring), what it measured
(pytest's `record_property("measured", text)`) and, when it fails, where to look (a docstring
line starting "Look at:"). What the checks call is in onthewire.labs.kit.

Two failures are the learner's, whatever the check asserts: a server that printed a Python
traceback while a check ran fails that check (unless the check is marked
`allow_traceback`: an app that raises on purpose, which the server must log), and code that
does not compile, or a server that dies importing the learner's code, stops the run at once
with Python's own words instead of failing every check alike.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Callable

import pytest

from onthewire import course
from onthewire.labs import kit, tracebacks
from onthewire.labs.apps import markers as _markers
from onthewire.labs.runner import command_for, env_for
from onthewire.serving import Running, ServerDidNotStart, free_port, running


@pytest.fixture(scope="session")
def lab() -> course.Lab:
    return course.lab(os.environ["WIRE_LAB"])


@pytest.fixture(scope="session")
def code_dir() -> Path:
    """The folder under test: the learner's workspace, the solution or the starter."""
    return Path(os.environ["WIRE_CODE_DIR"])


ServeFactory = Callable[..., contextlib.AbstractContextManager[Running]]
RunLab = Callable[..., subprocess.CompletedProcess[str]]


def _program(lab: course.Lab) -> str:
    """What the lab runs, in a word for a message: "server.py", "uvicorn", "serve.py"."""
    parts = [part for part in lab.run if part != "{python}"]
    if parts[:1] == ["-m"]:
        parts = parts[1:]
    return parts[0] if parts else lab.id


@pytest.fixture(scope="session")
def serve(lab: course.Lab, code_dir: Path) -> ServeFactory:
    """`with serve() as server:` runs the code under test on a free port (`server.url`).

    Pass `app="module:attr"` for labs that serve an app, `app_dir=` for a folder to put on the
    import path for it, `env=` for extra environment variables and `args=` for extra options
    after the lab's own command (for an option given twice, argparse keeps the last). A server
    that does not start fails the check with the last thing it said.
    """

    @contextlib.contextmanager
    def _serve(
        app: str | None = None,
        app_dir: Path | None = None,
        env: dict[str, str] | None = None,
        args: list[str] | None = None,
        ready_timeout: float = 15,
    ) -> Iterator[Running]:
        port = free_port()
        command = command_for(lab, port=port, app=app) + list(args or [])
        extra = [app_dir] if app_dir else []
        environment = {**env_for(code_dir, extra), **(env or {})}
        with contextlib.ExitStack() as stack:
            try:
                server = stack.enter_context(
                    running(command, port=port, cwd=code_dir, env=environment, ready_timeout=ready_timeout))
            except ServerDidNotStart as e:
                what = _program(lab) + (f" {app}" if app else "")
                found = tracebacks.last(str(e), code_dir, through=True)
                if found is not None:
                    _stop_the_run(f"{what} could not start: your code raised {found.error}", found.text)
                # The first line is the report's; the rest (all it printed) goes to the log.
                kit.fail(f"{what} did not start: {kit.last_words(str(e))}\n\n{e}")
            _WATCHED.append(_Watched(server))
            yield server

    return _serve


class _Watched:
    """A server started by `serve()`, and how much of its output the checks have looked at."""

    def __init__(self, server: Running) -> None:
        self.server = server
        self.seen = 0

    def news(self) -> str:
        text = self.server.output()
        new, self.seen = text[self.seen:], len(text)
        return new


_WATCHED: list[_Watched] = []
_STOPPED: dict[str, str] = {}  # set when the run stopped early: what to tell the learner


def _stop_the_run(headline: str, details: str) -> None:
    _STOPPED.update(headline=headline, details=details)
    pytest.exit(headline, returncode=1)


@pytest.fixture(scope="session")
def run_lab(lab: course.Lab, code_dir: Path) -> RunLab:
    """`run_lab(app=..., timeout=10)` runs the lab's command as `serve()` would and waits for it
    to end by itself (a server that must refuse to start); its output is captured as text.

    Takes `app_dir=`, `env=` and `args=` as `serve()` does; raises subprocess.TimeoutExpired
    when the command still runs after `timeout` s.
    """

    def _run(
        app: str | None = None,
        app_dir: Path | None = None,
        env: dict[str, str] | None = None,
        args: list[str] | None = None,
        timeout: float = 10,
    ) -> subprocess.CompletedProcess[str]:
        command = command_for(lab, port=free_port(), app=app) + list(args or [])
        environment = {**os.environ, **env_for(code_dir, [app_dir] if app_dir else []), **(env or {})}
        return subprocess.run(command, cwd=code_dir, env=environment, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)

    return _run


@pytest.fixture
def markers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder, new for each check, for the files the checks' apps write (what they received,
    when they started or stopped) and read (the "go" a check gives). The apps find it in
    $WIRE_MARKERS (onthewire.labs.apps.markers), which the server `serve()` starts inherits."""
    monkeypatch.setenv(_markers.ENV, str(tmp_path))
    return tmp_path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Bound every check by the lab's deadline, so that a server that never answers fails its
    checks instead of hanging them; and say where an exception from the code under check (a
    module the checks imported) came from, in one line."""
    limit = course.lab(os.environ["WIRE_LAB"]).check_deadline if os.environ.get("WIRE_LAB") else None
    for watched in _WATCHED:  # what servers printed before this check is not its business
        watched.news()
    try:
        with kit.deadline(limit, "the check") if limit else contextlib.nullcontext():
            result = yield
        _no_traceback(item)
        return result
    except (AssertionError, pytest.fail.Exception, pytest.skip.Exception):
        raise
    except Exception as error:
        place = kit.where(error)
        if not place:
            raise
        raise pytest.fail.Exception(f"{place} raised {type(error).__name__}: {error}") from error


def _no_traceback(item: pytest.Item) -> None:
    """Fail a check during which a server printed a traceback, showing its last lines."""
    found = None
    for watched in _WATCHED:
        found = tracebacks.last(watched.news(), Path(os.environ.get("WIRE_CODE_DIR", ".")), through=True) or found
    # Servers stopped by now have said all they will: forget them.
    _WATCHED[:] = [w for w in _WATCHED if w.server.final_output is None]
    if found is None or item.get_closest_marker("allow_traceback"):
        return
    where = f" ({found.place})" if found.place else ""
    item.user_properties.append(("traceback", found.text))
    pytest.fail(f"the server printed a Python traceback: {found.error}{where}\n\n{found.text}", pytrace=False)


def _check_id(item: pytest.Item) -> str:
    """'test_3_handshake.py::test_refuses_foreign_origin': how lab.toml's hints name a check."""
    try:
        file = item.path.relative_to(course.lab(os.environ["WIRE_LAB"]).checks).as_posix()
    except (KeyError, ValueError):
        file = item.path.name
    return f"{file}::{item.name}"


def _doc_parts(item: pytest.Item) -> tuple[str, str]:
    doc = getattr(getattr(item, "function", None), "__doc__", None) or ""
    lines = [line.strip() for line in doc.strip().splitlines()]
    behaviour = lines[0] if lines and lines[0] else item.name
    look_at = " ".join(line[len("Look at:"):].strip() for line in lines if line.startswith("Look at:"))
    return behaviour, look_at


class _Report:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows: dict[str, dict] = {}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
        outcome = yield
        report = outcome.get_result()
        behaviour, look_at = _doc_parts(item)
        row = self.rows.setdefault(item.nodeid, {"behaviour": behaviour, "look_at": look_at, "outcome": "passed", "message": "",
                                                 "check": _check_id(item)})
        # A check may report what it measured, pass or fail: record_property("measured", "...").
        measured = [str(value) for name, value in item.user_properties if name == "measured"]
        if measured:
            row["measured"] = "; ".join(measured)
        for name, value in item.user_properties:
            if name == "traceback":
                row["traceback"] = str(value)
        if report.failed or (report.skipped and report.when != "teardown"):
            row["outcome"] = "failed" if report.failed else "skipped"
            crash = getattr(report.longrepr, "reprcrash", None)
            message = crash.message if crash is not None else str(report.longrepr)
            first = message.strip().splitlines()[0] if message.strip() else ""
            # pytest's own prefixes say nothing to a learner.
            for prefix in ("Failed: ", "AssertionError: "):
                first = first.removeprefix(prefix)
            row["message"] = first[:300]

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.rows[report.nodeid or "collection"] = {
                "behaviour": f"the checks could not load ({report.nodeid or 'collection'})",
                "look_at": "a syntax or import error in your code",
                "outcome": "failed",
                "message": str(report.longrepr).strip().splitlines()[-1][:300],
            }

    def pytest_sessionfinish(self) -> None:
        rows = list(self.rows.values())
        if _STOPPED:
            rows.append({"behaviour": _STOPPED["headline"], "look_at": "", "outcome": "failed", "message": "",
                         "stopped": _STOPPED["details"]})
        self.path.write_text(json.dumps(rows, indent=1))


# Checks may share helper modules that sit beside them in checks/: importable from the start,
# conftest.py included (pytest loads a checks folder's conftest before it configures plugins).
if os.environ.get("WIRE_LAB"):
    sys.path.insert(0, str(course.lab(os.environ["WIRE_LAB"]).checks))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "allow_traceback: the check makes an app raise on purpose, and the server logs it")
    target = os.environ.get("WIRE_REPORT")
    if target:
        config.pluginmanager.register(_Report(Path(target)), "onthewire-report")


@pytest.hookimpl(tryfirst=True)
def pytest_collection(session: pytest.Session) -> None:
    """Code that does not compile stops the run before any server is started for it.

    (Here rather than at session start: a run stopped there would write no report.)"""
    code = os.environ.get("WIRE_CODE_DIR")
    error = tracebacks.syntax_errors(Path(code)) if code else None
    if error:
        _stop_the_run(f"your code does not compile: {error.splitlines()[-1]}", error)
