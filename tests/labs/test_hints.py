"""Every check of every lab has a hint that helps with it (lab.toml's `checks` of a hint),
and `wire hint` follows the check that failed first."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from onthewire import course

WIRE = str(Path(sys.executable).parent / "wire")
LABS = [lab.id for lab in course.labs()]


def check_ids(lab: course.Lab) -> list[str]:
    """'test_1_x.py::test_y' for every check function in the lab's check files."""
    found = []
    for file in sorted(lab.checks.rglob("test_*.py")):
        tree = ast.parse(file.read_text())
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_"):
                found.append(f"{file.relative_to(lab.checks).as_posix()}::{node.name}")
    return found


@pytest.mark.parametrize("lab_id", LABS)
def test_every_check_has_a_hint(lab_id: str) -> None:
    lab = course.lab(lab_id)
    checks = check_ids(lab)
    assert checks
    without = [c for c in checks if not any(h.helps_with(c) for h in lab.hints)]
    assert not without, f"labs/{lab_id}/lab.toml: no hint names these checks: {without}"
    unused = [h.text[:60] for h in lab.hints if not any(h.helps_with(c) for c in checks)]
    assert not unused, f"labs/{lab_id}/lab.toml: hints that name no existing check: {unused}"


def _wire(*args: str, workspace: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([WIRE, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "WIRE_WORKSPACE": str(workspace)})


def test_wire_hint_follows_the_check_that_failed_first(tmp_path: Path) -> None:
    lab = course.lab("chat")
    check = "test_4_messages.py::test_binary_closes_with_1003"
    progress = {lab.id: {"first_failed": {"check": check, "behaviour": "closes a binary message with 1003"}}}
    (tmp_path / ".progress.json").write_text(json.dumps(progress))
    helping = [h for h in lab.hints if h.helps_with(check)]
    assert helping and len(helping) < len(lab.hints)
    for hint in helping:
        shown = _wire("hint", lab.id, workspace=tmp_path)
        assert shown.returncode == 0 and hint.text in shown.stdout
        assert "for the check that failed first: closes a binary message with 1003" in shown.stdout
    done = _wire("hint", lab.id, workspace=tmp_path)
    assert "read every hint" in done.stdout and f"wire hint {lab.id} --all" in done.stdout
    everything = _wire("hint", lab.id, "--all", workspace=tmp_path)
    for hint in lab.hints:
        assert hint.text in everything.stdout
    assert "test_4_messages.py::test_binary_closes_with_1003:" in everything.stdout
