"""The learner's workspace: a git-ignored copy of each lab's starter, plus saved progress.

A lab's files come from up to three folders: given/ holds what the learner reads but need not
edit (support modules, an example app, static files), starter/ and solution/ hold only what
differs between them. A runnable copy is always given/ with one of the other two on top.
"""

from __future__ import annotations

import difflib
import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from onthewire import paths
from onthewire.course import Lab

_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")


def lab_dir(lab: Lab) -> Path:
    return paths.workspace() / lab.id


def given(lab: Lab) -> Path:
    """The lab's files shared by starter and solution (the folder may not exist)."""
    return lab.path / "given"


def files(root: Path) -> Iterator[Path]:
    """The files under root, relative to it, in order; caches left out."""
    for path in sorted(root.rglob("*")):
        if path.is_file() and not {"__pycache__", ".pytest_cache"} & set(path.parts) and path.suffix != ".pyc":
            yield path.relative_to(root)


def sources(lab: Lab, part: Path) -> dict[Path, Path]:
    """Relative path -> file, for a runnable copy of `part` (lab.starter or lab.solution)."""
    found: dict[Path, Path] = {}
    for root in (given(lab), part):
        if root.is_dir():
            found.update((rel, root / rel) for rel in files(root))
    return found


def _copy(files: dict[Path, Path], target: Path) -> None:
    for rel, source in files.items():
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / rel)


def ensure(lab: Lab) -> tuple[Path, bool]:
    """The learner's copy of the lab, made from given/ and starter/ on first use. Returns (dir, created).

    An existing copy is the learner's work: it is returned as it is, never refreshed."""
    target = lab_dir(lab)
    if target.exists():
        return target, False
    # Built beside it and renamed, so that an interrupted copy never passes for the learner's work.
    partial = target.with_name(f".{lab.id}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    _copy(sources(lab, lab.starter), partial)
    partial.rename(target)
    return target, True


@contextmanager
def assembled(lab: Lab, part: Path) -> Iterator[Path]:
    """A temporary runnable copy of lab.starter or lab.solution (given/ included), for
    `wire check --solution/--starter` and `wire start --solution`; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix=f"wire-{lab.id}-") as tmp:
        target = Path(tmp) / part.name  # "solution" or "starter", as messages name the folder
        _copy(sources(lab, part), target)
        yield target


def diff(lab: Lab, mine: Path) -> str:
    """A unified diff from the learner's files to the solution's (given files included, so
    only what the learner changed shows)."""
    reference = sources(lab, lab.solution)
    chunks = []
    for rel in sorted(set(files(mine)) | set(reference)):
        a, b = mine / rel, reference.get(rel)
        old = a.read_text().splitlines(keepends=True) if a.exists() else []
        new = b.read_text().splitlines(keepends=True) if b else []
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
    _copy(sources(lab, lab.solution), mine)
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
