"""The server under test, shared by the checks of a module: starting one per check would cost
more than most checks take. A check that brings the server down doesn't take the next checks
with it: `server` starts a fresh one whenever the last one has exited."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from onthewire import course
from onthewire.labs.runner import command_for, env_for
from onthewire.serving import Running, free_port, running

# The lab's own command, plus a 1-second timeout instead of the default 10 s, so that the
# timeout checks wait one second, not ten.
EXTRA_ARGS = ("--timeout", "1")
# For the check that others are served while clients stall: a timeout far longer than the
# check's own wait, so the stalled clients are still stalled when it looks, however busy the
# machine (an ordering to check, instead of a race against one second).
PATIENT_ARGS = ("--timeout", "30")


class SharedServer:
    def __init__(self, lab: course.Lab, code_dir: Path, extra_args: tuple[str, ...] = EXTRA_ARGS) -> None:
        self.lab = lab
        self.code_dir = code_dir
        self.extra_args = extra_args
        self.stack = contextlib.ExitStack()
        self.current: Running | None = None

    def get(self) -> Running:
        if self.current is None or self.current.process.poll() is not None:
            self.stack.close()
            port = free_port()
            command = [*command_for(self.lab, port=port), *self.extra_args]
            self.current = self.stack.enter_context(
                running(command, port=port, cwd=self.code_dir, env=env_for(self.code_dir))
            )
        return self.current

    def stop(self) -> None:
        self.stack.close()


@pytest.fixture(scope="module")
def shared_server(lab: course.Lab, code_dir: Path) -> Iterator[SharedServer]:
    shared = SharedServer(lab, code_dir)
    try:
        yield shared
    finally:
        shared.stop()


@pytest.fixture
def server(shared_server: SharedServer) -> Running:
    """The code under test, running on 127.0.0.1 with a 1-second timeout (`server.url`)."""
    return shared_server.get()


@pytest.fixture
def patient_server(lab: course.Lab, code_dir: Path) -> Iterator[Running]:
    """The code under test with a 30-second timeout, for the one check that needs clients to
    stay stalled while it looks."""
    patient = SharedServer(lab, code_dir, PATIENT_ARGS)
    try:
        yield patient.get()
    finally:
        patient.stop()
