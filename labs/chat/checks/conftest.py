"""Fixtures for the chat checks (the harness gives `lab`, `code_dir` and `serve`).

`server` is the code under check, served as `wire start chat` serves it: uvicorn, in a
process of its own, with the lab's options (--ws-max-size and the pings among them). A server
that cannot start fails the check with uvicorn's own last line (the harness's `serve`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from onthewire.labs.harness import ServeFactory
from onthewire.serving import Running


@pytest.fixture
def server(serve: ServeFactory) -> Iterator[Running]:
    with serve() as running:
        yield running
