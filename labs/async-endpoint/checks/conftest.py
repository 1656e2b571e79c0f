"""Fixtures for the async-endpoint checks (the harness gives `serve`, `lab` and `code_dir`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from onthewire.labs.harness import ServeFactory
from onthewire.serving import Running
from stock import stock_service


@pytest.fixture
def upstream() -> Iterator:
    """(URL, StockService): the checks' stock service, running for one check."""
    with stock_service() as found:
        yield found


@pytest.fixture
def app(serve: ServeFactory, upstream) -> Iterator[Running]:
    """The code under test, run as `wire start` runs it, talking to the checks' stock service."""
    url, _ = upstream
    with serve(env={"UPSTREAM_URL": url}) as server:
        yield server
