"""Fixtures for the asgi-middleware checks (the harness gives `lab`, `code_dir` and `serve`).

The code under check is served as `wire start` serves it: uvicorn, in a process of its own, in
the folder of the code, with an app named module:attr. The apps in checks/apps/ import the
learner's `timing` module and put ServerTiming around themselves.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from onthewire.labs.harness import ServeFactory
from onthewire.serving import Running, ServerDidNotStart

APPS = Path(__file__).parent / "apps"


@pytest.fixture(autouse=True)
def markers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder for the files the check apps write and read (see apps/markers.py). The apps find
    it in $MIDDLEWARE_LAB_DIR, which the server that `serve()` starts inherits."""
    monkeypatch.setenv("MIDDLEWARE_LAB_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def serve(serve: ServeFactory) -> ServeFactory:
    """The harness's `serve`, with the apps in checks/apps/ on the import path; an app that
    uvicorn cannot load fails the check with uvicorn's own last line."""

    @contextlib.contextmanager
    def _serve(app: str | None = None, **options: object) -> Iterator[Running]:
        try:
            with serve(app=app, app_dir=APPS, **options) as server:
                yield server
        except ServerDidNotStart as e:
            lines = [line.strip() for line in str(e).splitlines() if line.strip()]
            raise AssertionError(f"uvicorn could not start {app or 'demo:app'}: {lines[-1] if lines else e}") from None

    return _serve
