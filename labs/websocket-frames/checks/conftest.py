"""Fixtures for the websocket-frames checks (the harness gives `lab`, `code_dir` and `serve`).

`frames` is your frames.py, imported into the checks' process: the checks call it directly,
as h11's and wsproto's own tests call them, with no socket in between (test_7 adds sockets).
An exception your code raises that no check expected is reported by the harness as one line
that says where in frames.py it came from; the full traceback is in the log.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from onthewire.labs.kit import import_file


@pytest.fixture(scope="session")
def frames(code_dir: Path) -> ModuleType:
    """frames.py from the folder under test."""
    return import_file(code_dir / "frames.py", "frames")
