"""Fixtures for the tls-and-alpn checks (the harness gives `serve`, `lab` and `code_dir`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from onthewire.labs.harness import ServeFactory
from tls_checks import Server, started


@pytest.fixture
def server(serve: ServeFactory) -> Iterator[Server]:
    """The code under test, run as `wire start` runs it: serve.py, h2 and http/1.1 offered."""
    with started(serve) as running:
        yield running
