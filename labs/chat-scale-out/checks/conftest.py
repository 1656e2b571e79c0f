"""Fixtures for the chat-scale-out checks (the harness gives `serve`, `lab` and `code_dir`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chat_checks import Chat, started
from onthewire.labs.harness import ServeFactory


@pytest.fixture
def chat(serve: ServeFactory) -> Iterator[Chat]:
    """The code under test, run as `wire start` runs it (with its own Redis), for one check."""
    with started(serve) as running:
        yield running
