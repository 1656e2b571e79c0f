"""The server under test, shared by the checks of a module: starting one per check would cost
more than most checks take. A check that brings the server down doesn't take the next checks
with it: `server` starts a fresh one whenever the last one has exited. Every server is started
by the harness's `serve`, as `wire start` starts it, with one option more."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest

from onthewire.labs.harness import ServeFactory
from onthewire.serving import Running

# For the checks of what the server does on purpose: a timeout far longer than any wait of the
# checks, so that a connection closed while a check waits was closed by the server's code
# (after a Connection: close, an error response), never by its timeout running out: an
# ordering to check, instead of a race against the timeout.
PATIENT_ARGS = ["--timeout", "30"]
# For the checks of the timeout itself: one second instead of the default 10 s.
IMPATIENT_ARGS = ["--timeout", "1"]


class SharedServer:
    """One server for many checks, started again only once the last one has exited."""

    def __init__(self, serve: ServeFactory, args: list[str]) -> None:
        self.serve = serve
        self.args = args
        self.stack = contextlib.ExitStack()
        self.current: Running | None = None

    def get(self) -> Running:
        if self.current is None or self.current.process.poll() is not None:
            self.stack.close()
            self.current = self.stack.enter_context(self.serve(args=self.args))
        return self.current

    def stop(self) -> None:
        self.stack.close()


@pytest.fixture(scope="module")
def shared_server(serve: ServeFactory) -> Iterator[SharedServer]:
    shared = SharedServer(serve, PATIENT_ARGS)
    try:
        yield shared
    finally:
        shared.stop()


@pytest.fixture
def server(shared_server: SharedServer) -> Running:
    """The code under test, on 127.0.0.1 with a 30-second timeout (`server.url`)."""
    return shared_server.get()


@pytest.fixture
def impatient_server(serve: ServeFactory) -> Iterator[Running]:
    """The code under test with a 1-second timeout, for the checks of what the timeout does."""
    with serve(args=IMPATIENT_ARGS) as running:
        yield running


@pytest.fixture
def patient_server(serve: ServeFactory) -> Iterator[Running]:
    """The code under test with a 30-second timeout, of its own, for the check that leaves
    clients stalled while it looks."""
    with serve(args=PATIENT_ARGS) as running:
        yield running
