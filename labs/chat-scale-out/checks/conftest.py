"""Fixtures for the chat-scale-out checks (the harness gives `serve`, `lab` and `code_dir`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chat_checks import Chat, started
from onthewire.labs.harness import ServeFactory


@pytest.fixture(scope="session")
def chat(serve: ServeFactory) -> Iterator[Chat]:
    """The code under test, run as `wire start` runs it (with its own Redis), shared by the
    checks that only chat: each uses rooms of its own, so that nothing one check's clients
    say, or their leave notices, reaches another's. The checks that kill a worker or stop
    the server start their own."""
    with started(serve) as running:
        yield running
