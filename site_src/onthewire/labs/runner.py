"""Run a lab's code: the command `wire start` runs is the command the checks run."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from onthewire.course import Lab
from onthewire.serving import HOST, python


def command_for(lab: Lab, *, port: int, app: str | None = None, host: str = HOST) -> list[str]:
    """The lab's `run` command from lab.toml, with its placeholders filled in."""
    values = {
        "{python}": python(),
        "{host}": host,
        "{port}": str(port),
        "{app}": app or lab.default_app or "",
    }
    return [values.get(part, part) for part in lab.run]


def env_for(code_dir: Path, extra_paths: Sequence[str | os.PathLike] = ()) -> dict[str, str]:
    """Environment for a lab process: the code folder first on the import path, so that an
    APP given as module:attr can live beside the learner's server, or in `extra_paths`."""
    parts = [str(code_dir), *map(str, extra_paths)]
    if os.environ.get("PYTHONPATH"):
        parts.append(os.environ["PYTHONPATH"])
    return {"PYTHONPATH": os.pathsep.join(parts), "PYTHONUNBUFFERED": "1"}
