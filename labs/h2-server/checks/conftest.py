"""Fixtures for the h2-server checks (the harness gives `lab`, `code_dir`, `markers`, `run_lab`
and `serve`).

`serve_app` is the harness's `serve` with the check apps (checks/apps/) on the import path and
`--grace 1`, so that the shutdown check waits one second, not three. Every check has a time
limit (`[checks] deadline` in lab.toml), so that a server that never answers fails its checks
instead of hanging them.
"""

from __future__ import annotations

import contextlib

import pytest

from h2_checks import APPS
from onthewire.labs.harness import ServeFactory
from onthewire.serving import Running


@pytest.fixture
def serve_app(serve: ServeFactory) -> ServeFactory:
    """`with serve_app("h2_apps:app") as server:` runs the server under test with a check app;
    `args=` adds options after `--grace 1`."""

    def _serve(app: str = "h2_apps:app", args: list[str] | None = None,
               **options: object) -> contextlib.AbstractContextManager[Running]:
        return serve(app=app, app_dir=APPS, args=["--grace", "1", *(args or [])], **options)

    return _serve
