"""The learner's workspace: a git-ignored copy of each lab's starter, plus saved progress."""

from __future__ import annotations

import difflib
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from onthewire import paths
from onthewire.course import Lab

_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")


def lab_dir(lab: Lab) -> Path:
    return paths.workspace() / lab.id


def ensure(lab: Lab) -> tuple[Path, bool]:
    """The learner's copy of the lab, made from the starter on first use. Returns (dir, created)."""
    target = lab_dir(lab)
    if target.exists():
        return target, False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(lab.starter, target, ignore=_IGNORE)
    return target, True


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            yield path.relative_to(root)


def diff(lab: Lab, mine: Path) -> str:
    """A unified diff from the learner's files to the solution's."""
    chunks = []
    for rel in sorted(set(_files(mine)) | set(_files(lab.solution))):
        a, b = mine / rel, lab.solution / rel
        old = a.read_text().splitlines(keepends=True) if a.exists() else []
        new = b.read_text().splitlines(keepends=True) if b.exists() else []
        chunks.extend(difflib.unified_diff(old, new, f"yours/{rel}", f"solution/{rel}"))
    return "".join(chunks)


def apply_solution(lab: Lab, mine: Path) -> Path:
    """Copy the solution over the learner's files, keeping a backup first. Returns the backup."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = paths.workspace() / ".backups" / f"{lab.id}-{stamp}"
    n = 1
    while backup.exists():
        n += 1
        backup = backup.with_name(f"{lab.id}-{stamp}-{n}")
    shutil.copytree(mine, backup, ignore=_IGNORE)
    for rel in _files(lab.solution):
        (mine / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(lab.solution / rel, mine / rel)
    return backup


class Progress:
    """Per-lab progress saved as JSON in the workspace (hints seen, last check)."""

    def __init__(self) -> None:
        self.file = paths.workspace() / ".progress.json"
        try:
            self.data: dict[str, dict] = json.loads(self.file.read_text())
        except (FileNotFoundError, ValueError):
            self.data = {}

    def of(self, lab: Lab) -> dict:
        return self.data.setdefault(lab.id, {})

    def save(self) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=2, sort_keys=True))
        tmp.replace(self.file)

    def status(self, lab: Lab) -> str:
        entry = self.data.get(lab.id, {})
        last = entry.get("last_check")
        if last:
            if last["failed"] == 0:
                return "done"
            return f"{last['passed']}/{last['passed'] + last['failed']} checks"
        if lab_dir(lab).exists():
            return "started"
        return "not started"
