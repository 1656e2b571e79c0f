"""Fixtures for the asgi-middleware checks (the harness gives `lab`, `code_dir`, `markers` and
`serve`, which this file wraps).

The code under check is served as `wire start` serves it: uvicorn, in a process of its own, in
the folder of the code, with an app named module:attr. The apps in checks/apps/ import the
learner's `timing` module and put ServerTiming around themselves; they write their markers
in every check, so every check has a markers folder.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from mw_checks import APPS
from onthewire.labs.harness import ServeFactory
from onthewire.serving import Running


@pytest.fixture
def serve(serve: ServeFactory, markers: Path) -> ServeFactory:
    """The harness's `serve`, with the apps in checks/apps/ on the import path."""

    def _serve(app: str | None = None, **options: object) -> contextlib.AbstractContextManager[Running]:
        return serve(app=app, app_dir=APPS, **options)

    return _serve
