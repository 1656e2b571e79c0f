"""Fixtures for the asgi-server checks (the harness gives `lab`, `code_dir`, `markers`, `run_lab`
and `serve`, which this file wraps).

The server runs with `--timeout 1 --grace 1`, so that a check of a timeout or of a shutdown
deadline waits one second, not the defaults' five and three; a check may pass `args=` to
change either (the last of an option given twice counts).
"""

from __future__ import annotations

import contextlib

import pytest

from asgi_checks import APPS, SERVER_TIMEOUT
from onthewire.labs.harness import ServeFactory
from onthewire.serving import Running

DEFAULT_ARGS = ["--timeout", f"{SERVER_TIMEOUT:g}", "--grace", "1"]


@pytest.fixture
def serve(serve: ServeFactory) -> ServeFactory:
    """The harness's `serve`, with the apps in checks/apps/ on the import path and the options above."""

    def _serve(app: str | None = None, args: list[str] | None = None,
               **options: object) -> contextlib.AbstractContextManager[Running]:
        app_dir = options.pop("app_dir", APPS)
        return serve(app=app, app_dir=app_dir, args=[*DEFAULT_ARGS, *(args or [])], **options)

    return _serve
