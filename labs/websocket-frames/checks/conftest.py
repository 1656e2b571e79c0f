"""Fixtures for the websocket-frames checks (the harness gives `lab`, `code_dir` and `serve`).

`frames` is your frames.py, imported into the checks' process: the checks call it directly,
as h11's and wsproto's own tests call them, with no socket in between (test_7 adds sockets).
An exception your code raises that no check expected is reported as one line that says
where in frames.py it came from; the full traceback is in the log.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest


@pytest.fixture(scope="session")
def frames(code_dir: Path) -> ModuleType:
    """frames.py from the folder under test."""
    path = code_dir / "frames.py"
    spec = importlib.util.spec_from_file_location("frames", path)
    assert spec is not None and spec.loader is not None, f"no frames.py in {code_dir.name}/"
    module = importlib.util.module_from_spec(spec)
    sys.modules["frames"] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:
        pytest.fail(f"frames.py could not be imported: {type(error).__name__}: {error}", pytrace=False)
    return module


CHECK_LIMIT = 60  # seconds any one check may take, whatever it waits for


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    # Imported here: the harness puts checks/ on the import path once pytest is configured.
    from ws_checks import deadline, where

    try:
        with deadline(CHECK_LIMIT, "the check"):
            return (yield)
    except (AssertionError, pytest.fail.Exception, pytest.skip.Exception):
        raise
    except Exception as error:
        place = where(error)
        if not place:
            raise
        raise pytest.fail.Exception(f"{place} raised {type(error).__name__}: {error}") from error
