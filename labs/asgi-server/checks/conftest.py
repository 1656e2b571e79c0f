"""Fixtures for the asgi-server checks (the harness gives `lab` and `code_dir`).

`serve` here stands in for the harness's own: the same call, plus the server's options. By
default the server runs with `--timeout 1 --grace 1`, so that a check of a timeout or of a
shutdown deadline waits one second, not the defaults' five and three.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from onthewire import course
from onthewire.labs.harness import ServeFactory
from onthewire.labs.runner import command_for, env_for
from onthewire.serving import Running, free_port, running



@pytest.fixture
def serve(lab: course.Lab, code_dir: Path) -> ServeFactory:
    """`with serve(app="module:attr") as server:` runs the code under test on a free port.

    The apps in checks/apps/ are on the import path; `options` replaces the server's options.
    """
    # Imported here, not at the top: the harness puts checks/ on the import path only once
    # pytest is configured, after it has loaded this file.
    from asgi_checks import APPS, SERVER_TIMEOUT

    default_options = ("--timeout", f"{SERVER_TIMEOUT:g}", "--grace", "1")

    @contextlib.contextmanager
    def _serve(
        app: str | None = None,
        env: dict[str, str] | None = None,
        options: Sequence[str] = default_options,
        ready_timeout: float = 15,
    ) -> Iterator[Running]:
        port = free_port()
        command = [*command_for(lab, port=port, app=app), *options]
        environment = {**env_for(code_dir, [APPS]), **(env or {})}
        with running(command, port=port, cwd=code_dir, env=environment, ready_timeout=ready_timeout) as server:
            yield server

    return _serve


@pytest.fixture
def markers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder for the files the check apps write (what they received, when they started or
    stopped) and read (the "go" a check gives). The apps find it in $ASGI_LAB_DIR, which the
    server that `serve()` starts inherits."""
    monkeypatch.setenv("ASGI_LAB_DIR", str(tmp_path))
    return tmp_path
