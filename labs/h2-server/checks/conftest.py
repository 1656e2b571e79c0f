"""Fixtures for the h2-server checks (the harness gives `lab`, `code_dir` and `serve`).

`serve_app` is the harness's `serve` with the check apps (checks/apps/) on the import path and
`--grace 1`, so that the shutdown check waits one second, not three. Every check has a time
limit, so that a server that never answers fails its checks instead of hanging them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from onthewire.labs.harness import ServeFactory
from onthewire.serving import Running


@pytest.fixture
def serve_app(serve: ServeFactory) -> ServeFactory:
    """`with serve_app("h2_apps:app") as server:` runs the server under test with a check app."""
    from h2_checks import APPS  # imported here: the harness puts checks/ on the path once configured

    @contextlib.contextmanager
    def _serve(app: str = "h2_apps:app", env: dict[str, str] | None = None) -> Iterator[Running]:
        with serve(app=app, app_dir=APPS, env=env, args=["--grace", "1"]) as server:
            yield server

    return _serve


@pytest.fixture
def markers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder for the files the check apps write; they find it in $H2_LAB_DIR."""
    monkeypatch.setenv("H2_LAB_DIR", str(tmp_path))
    return tmp_path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    from h2_checks import CHECK_LIMIT, deadline

    with deadline(CHECK_LIMIT, "the check"):
        return (yield)
