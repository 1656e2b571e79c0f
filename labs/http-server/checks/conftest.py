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

# The lab's own command, plus a 1-second timeout instead of the default 10 s, so that the
# timeout checks wait one second, not ten.
EXTRA_ARGS = ["--timeout", "1"]
# For the check that others are served while clients stall: a timeout far longer than the
# check's own wait, so the stalled clients are still stalled when it looks, however busy the
# machine (an ordering to check, instead of a race against one second).
PATIENT_ARGS = ["--timeout", "30"]


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
    shared = SharedServer(serve, EXTRA_ARGS)
    try:
        yield shared
    finally:
        shared.stop()


@pytest.fixture
def server(shared_server: SharedServer) -> Running:
    """The code under test, running on 127.0.0.1 with a 1-second timeout (`server.url`)."""
    return shared_server.get()


@pytest.fixture
def patient_server(serve: ServeFactory) -> Iterator[Running]:
    """The code under test with a 30-second timeout, for the one check that needs clients to
    stay stalled while it looks."""
    with serve(args=PATIENT_ARGS) as running:
        yield running
