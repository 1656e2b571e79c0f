"""Fixtures for the nginx-front checks (the harness gives `serve`, `lab` and `code_dir`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from onthewire.labs.harness import ServeFactory


@pytest.fixture
def front(serve: ServeFactory) -> Iterator:
    """The code under test, run as `wire start` runs it: serve.py, with nginx and uvicorn."""
    # Imported here: the harness puts checks/ on the import path once pytest is configured.
    from front_checks import started

    with started(serve) as running:
        yield running
