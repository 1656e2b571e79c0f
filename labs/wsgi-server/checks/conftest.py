"""Fixtures for the wsgi-server checks (the harness gives `serve`, `lab` and `code_dir`)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def markers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder for the files the check apps write (close() markers, the "go" signal).

    The apps find it in $WSGI_LAB_DIR: the server that `serve()` starts inherits it.
    """
    monkeypatch.setenv("WSGI_LAB_DIR", str(tmp_path))
    return tmp_path
