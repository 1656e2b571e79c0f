"""Files through which the check apps tell a check what happened, and a check tells an app to go
on. They live in $MIDDLEWARE_LAB_DIR, a temporary folder each check makes (see conftest.py).
"""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path


def folder() -> Path:
    return Path(os.environ["MIDDLEWARE_LAB_DIR"])


def write(name: str, text: str) -> None:
    """Write a marker at once and whole: a check polling for it never sees half of it."""
    tmp = folder() / f".{name}.tmp"
    tmp.write_text(text)
    tmp.replace(folder() / name)


def append(name: str, line: str) -> None:
    """Add a line to a log of events, like "startup" or "shutdown"."""
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
