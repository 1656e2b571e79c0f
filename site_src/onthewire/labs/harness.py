"""The pytest plugin every lab's checks run under (`wire check` loads it with -p).

Fixtures give a check the lab, the folder of code under test, and `serve()`, which starts that
code exactly as `wire start` would, on a free port. The report hook writes one line per check
for `wire check` to print: the behaviour (the test's docstring), what it measured (pytest's
`record_property("measured", text)`) and, when it fails, where to look (a docstring line
starting "Look at:").
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Callable

import pytest

from onthewire import course
from onthewire.labs.runner import command_for, env_for
from onthewire.serving import Running, free_port, running


@pytest.fixture(scope="session")
def lab() -> course.Lab:
    return course.lab(os.environ["WIRE_LAB"])


@pytest.fixture(scope="session")
def code_dir() -> Path:
    """The folder under test: the learner's workspace, the solution or the starter."""
    return Path(os.environ["WIRE_CODE_DIR"])


ServeFactory = Callable[..., contextlib.AbstractContextManager[Running]]


@pytest.fixture
def serve(lab: course.Lab, code_dir: Path) -> ServeFactory:
    """`with serve() as server:` runs the code under test on a free port (`server.url`).

    Pass `app="module:attr"` for labs that serve an app, `app_dir=` for a folder to put on the
    import path for it, `env=` for extra environment variables and `args=` for extra options
    after the lab's own command.
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
        with running(command, port=port, cwd=code_dir, env=environment, ready_timeout=ready_timeout) as server:
            yield server

    return _serve


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
        row = self.rows.setdefault(item.nodeid, {"behaviour": behaviour, "look_at": look_at, "outcome": "passed", "message": ""})
        # A check may report what it measured, pass or fail: record_property("measured", "...").
        measured = [str(value) for name, value in item.user_properties if name == "measured"]
        if measured:
            row["measured"] = "; ".join(measured)
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
        self.path.write_text(json.dumps(list(self.rows.values()), indent=1))


# Checks may share helper modules that sit beside them in checks/: importable from the start,
# conftest.py included (pytest loads a checks folder's conftest before it configures plugins).
if os.environ.get("WIRE_LAB"):
    sys.path.insert(0, str(course.lab(os.environ["WIRE_LAB"]).checks))


def pytest_configure(config: pytest.Config) -> None:
    target = os.environ.get("WIRE_REPORT")
    if target:
        config.pluginmanager.register(_Report(Path(target)), "onthewire-report")
