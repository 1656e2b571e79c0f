"""Each lab's checks catch plausible mistakes: every mutation in tests/labs/mutations/LAB.toml
is applied, alone, to a copy of the reference solution, and `wire check` must fail.

A mutation names the check that should catch it (`caught_by`, a check file or FILE::NAME), and
only that one runs: a mistake caught by some other check by accident does not count, and the
run stays short. The format, one table per mistake:

    [[mutation]]
    name = "refuses a handshake with close() but goes on to accept()"
    file = "app.py"                      # a file of the solution (or of given/)
    old = "        return\\n"             # text found exactly once in it
    new = ""                             # what the learner wrote instead
    caught_by = "test_3_handshake.py::test_foreign_origin_is_refused"
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from onthewire import course, paths
from onthewire.labs import workspace

WIRE = str(Path(sys.executable).parent / "wire")
FOLDER = Path(__file__).parent / "mutations"
LABS = [lab.id for lab in course.labs()]
AT_LEAST = 10


def mutations(lab_id: str) -> list[dict]:
    file = FOLDER / f"{lab_id}.toml"
    return tomllib.loads(file.read_text()).get("mutation", []) if file.exists() else []


CASES = [pytest.param(lab_id, m, id=f"{lab_id}: {m['name']}") for lab_id in LABS for m in mutations(lab_id)]


@pytest.mark.parametrize("lab_id", LABS)
def test_every_lab_has_its_mutations(lab_id: str) -> None:
    found = mutations(lab_id)
    assert len(found) >= AT_LEAST, f"tests/labs/mutations/{lab_id}.toml has {len(found)} mutations, fewer than {AT_LEAST}"
    for m in found:
        assert set(m) == {"name", "file", "old", "new", "caught_by"}, f"{lab_id}: {m.get('name')}: keys {sorted(m)}"
        assert m["old"] != m["new"]


@pytest.mark.parametrize(("lab_id", "mutation"), CASES)
def test_the_checks_catch_it(lab_id: str, mutation: dict, tmp_path: Path, no_leftovers: None) -> None:
    lab = course.lab(lab_id)
    mine = tmp_path / "workspace" / lab.id
    with workspace.assembled(lab, lab.solution) as reference:
        shutil.copytree(reference, mine)
    target = mine / mutation["file"]
    text = target.read_text()
    assert text.count(mutation["old"]) == 1, f"{mutation['file']} holds {mutation['old']!r} {text.count(mutation['old'])} times, not once"
    target.write_text(text.replace(mutation["old"], mutation["new"]))
    env = {**os.environ, "WIRE_WORKSPACE": str(mine.parent)}
    result = subprocess.run([WIRE, "check", lab.id, "--only", mutation["caught_by"]], capture_output=True, text=True,
                            env=env, cwd=paths.ROOT, timeout=300)
    assert result.returncode == 1, f"not caught by {mutation['caught_by']}:\n{result.stdout}{result.stderr}"
    assert "✗" in result.stdout and "Traceback" not in result.stderr
