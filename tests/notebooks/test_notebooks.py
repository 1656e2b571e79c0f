"""Every notebook runs cleanly from a fresh kernel, leaves no process or port behind, and is
committed without outputs."""

from __future__ import annotations

import json

import pytest

from onthewire import paths
from onthewire.site import notebooks

NOTEBOOKS = sorted(p for p in paths.NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def _id(path) -> str:
    return str(path.relative_to(paths.NOTEBOOKS))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_committed_without_outputs(path) -> None:
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and cell.get("execution_count") is None, f"{_id(path)} has outputs"
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown" and "".join(first["source"]).lstrip().startswith("# ")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_runs_cleanly_from_a_fresh_kernel(path, no_leftovers: None) -> None:
    executed = notebooks.execute(path)  # raises NotebookFailed naming the cell
    assert any(cell.get("outputs") for cell in executed.cells if cell.cell_type == "code")
