"""Shared fixtures: the built site, and a guard that tests leave no process or port behind."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from onthewire import paths

BIN = Path(sys.executable).parent


def listening_ports() -> set[int]:
    """TCP ports this machine listens on right now."""
    return {c.laddr.port for c in psutil.net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN}


def children() -> list[psutil.Process]:
    return psutil.Process().children(recursive=True)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per test run with the same command as `make site` (strict)."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(out)],
        cwd=paths.ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture
def no_leftovers() -> Iterator[None]:
    """Fail the test if it leaves a child process or a new listening port behind."""
    before_ports = listening_ports()
    yield
    left = [p for p in children() if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not left, f"processes left running: {[p.cmdline() for p in left]}"
    new_ports = listening_ports() - before_ports
    assert not new_ports, f"ports left listening: {sorted(new_ports)}"
