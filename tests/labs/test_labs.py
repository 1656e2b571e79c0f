"""Every lab: its lab.toml is valid, the starter fails its checks and the solution passes them,
run through `wire check`, the command a learner runs."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from onthewire import course, paths
from onthewire.labs import workspace

WIRE = str(Path(sys.executable).parent / "wire")
LABS = [lab.id for lab in course.labs()]
# The file a learner edits in each lab whose server needs plumbing: the plumbing is given in a
# module beside it, so that the file holds the TODOs and their context, a screen or two.
LEARNER_FILES = {"http-server": "server.py", "wsgi-server": "server.py", "asgi-server": "server.py", "h2-server": "server.py"}
MEASURED = {"async-endpoint": r"measured: 20 of 20 requests waited for the stock service at once"}


def test_every_folder_of_labs_is_a_lab() -> None:
    folders = {d.name for d in paths.LABS.iterdir() if d.is_dir() and not d.name.startswith((".", "_"))}
    assert folders == set(LABS), f"folders without a lab.toml: {sorted(folders - set(LABS))}"


def test_there_are_labs() -> None:
    assert {"http-server", "wsgi-server"} <= set(LABS)


@pytest.mark.parametrize("lab_id", LABS)
def test_lab_metadata(lab_id: str) -> None:
    lab = course.lab(lab_id)
    assert lab.readme.read_text().strip()
    assert any(lab.starter.rglob("*.py"))
    assert any(lab.checks.glob("test_*.py"))
    # The starter marks each place to edit; the solution has none left.
    assert any("TODO" in f.read_text() for f in lab.starter.rglob("*.py"))
    assert not any("TODO" in f.read_text() for f in lab.solution.rglob("*.py"))
    assert not any("TODO" in f.read_text() for f in workspace.given(lab).rglob("*.py")), "given files have nothing to do"
    for hint in lab.hints:
        assert hint.text.rstrip().endswith("?"), f"hints lead with questions: {hint.text!r}"


@pytest.mark.parametrize("lab_id", LABS)
def test_starter_and_solution_hold_only_what_differs(lab_id: str) -> None:
    """A file the learner need not change lives once, in given/: every copy of the lab gets it."""
    lab = course.lab(lab_id)
    starter, solution = set(workspace.files(lab.starter)), set(workspace.files(lab.solution))
    same = sorted(str(rel) for rel in starter & solution if (lab.starter / rel).read_bytes() == (lab.solution / rel).read_bytes())
    assert not same, f"byte-identical in starter/ and solution/: move to {lab_id}/given/: {same}"
    shadowed = sorted(str(rel) for rel in set(workspace.files(workspace.given(lab))) & (starter | solution))
    assert not shadowed, f"in given/ and also in starter/ or solution/: {shadowed}"


@pytest.mark.parametrize("lab_id", sorted(LEARNER_FILES))
def test_the_learners_file_fits_a_screen_or_two(lab_id: str) -> None:
    path = course.lab(lab_id).starter / LEARNER_FILES[lab_id]
    lines = len(path.read_text().splitlines())
    assert lines < 250, f"{path.relative_to(paths.ROOT)} is {lines} lines: move given code into a module in given/"
    # The plumbing is read from given/, by the starter and the solution alike.
    given = {f.stem for f in workspace.given(course.lab(lab_id)).glob("*.py")}
    for part in (course.lab(lab_id).starter, course.lab(lab_id).solution):
        tree = ast.parse((part / LEARNER_FILES[lab_id]).read_text())
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert imported & given, f"{part.name}/{LEARNER_FILES[lab_id]} imports none of given/: {sorted(given)}"


@pytest.mark.parametrize("lab_id", LABS)
def test_solution_passes(lab_id: str, tmp_path: Path, no_leftovers: None) -> None:
    result = subprocess.run([WIRE, "check", lab_id, "--solution"], capture_output=True, text=True,
                            env=_env(tmp_path), cwd=paths.ROOT, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 failed" in result.stdout
    if lab_id in MEASURED:  # the checks that measure something print it
        assert re.search(MEASURED[lab_id], result.stdout), result.stdout


@pytest.mark.parametrize("lab_id", LABS)
def test_starter_fails(lab_id: str, tmp_path: Path, no_leftovers: None) -> None:
    # --exitfirst: one failing check proves it, without waiting out every other one's timeout.
    result = subprocess.run([WIRE, "check", lab_id, "--starter", "--exitfirst"], capture_output=True, text=True,
                            env=_env(tmp_path), cwd=paths.ROOT, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "✗" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def _env(tmp_path: Path) -> dict[str, str]:
    import os

    return {**os.environ, "WIRE_WORKSPACE": str(tmp_path / "workspace")}

