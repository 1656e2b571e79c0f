"""Files through which a check's app tells the check what happened, and the check tells the app
to go on. They live in the folder named by $WIRE_MARKERS: the harness's `markers` fixture makes
one for each check and sets the variable, which the server that `serve()` starts inherits.

Standard library only: this runs inside the learner's server, whatever it has imported.
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

ENV = "WIRE_MARKERS"


def folder() -> Path:
    return Path(os.environ[ENV])


def write(name: str, text: str) -> None:
    """Write a marker at once and whole (a rename): a check polling for it never sees half of it."""
    tmp = folder() / f".{name}.tmp"
    tmp.write_text(text)
    tmp.replace(folder() / name)


def append(name: str, line: str) -> None:
    """Add a line to a log of events, like "startup" or "request finished"."""
    with (folder() / name).open("a") as f:
        f.write(line + "\n")


async def wait_for(name: str, timeout: float = 5.0) -> bool:
    """Wait until the check creates the marker `name` (polled); False if it didn't in time."""
    deadline = time.monotonic() + timeout
    while not (folder() / name).exists():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)  # a poll interval
    return True


def block_until(name: str, timeout: float = 5.0) -> bool:
    """`wait_for()` for a WSGI app, which has no event loop: the thread waits, polling."""
    deadline = time.monotonic() + timeout
    while not (folder() / name).exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)  # a poll interval
    return True
