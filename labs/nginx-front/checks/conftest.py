"""Fixtures for the nginx-front checks (the harness gives `serve`, `lab` and `code_dir`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from front_checks import Front, started
from onthewire.labs.harness import ServeFactory


@pytest.fixture
def front(serve: ServeFactory) -> Iterator[Front]:
    """The code under test, run as `wire start` runs it: serve.py, with nginx and uvicorn."""
    with started(serve) as running:
        yield running
