"""Notebook execution for the site: cached by content, failures named by notebook and cell."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from onthewire.site import notebooks


def write(path: Path, *cells: nbformat.NotebookNode) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = list(cells)
    nbformat.write(nb, path)
    return path


def md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(text)


def code(text: str, tags: list[str] | None = None) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(text)
    if tags:
        cell.metadata["tags"] = tags
    return cell


def test_a_failing_cell_is_named_by_notebook_cell_and_error(tmp_path: Path) -> None:
    nb = write(tmp_path / "broken.ipynb", md("# B"), code("x = 1"), code("1 / 0"))
    with pytest.raises(notebooks.NotebookFailed) as failure:
        notebooks.execute(nb)
    message = str(failure.value)
    assert "broken.ipynb" in message and "cell 3" in message and "ZeroDivisionError: division by zero" in message


def test_a_cell_tagged_raises_exception_may_fail_and_shows_its_error(tmp_path: Path) -> None:
    nb = write(tmp_path / "ok.ipynb", md("# B"), code("int('x')", tags=["raises-exception"]), code("print('after')"))
    out = notebooks.to_markdown(notebooks.execute(nb))
    assert "ValueError: invalid literal for int() with base 10: 'x'" in out
    assert "after" in out


def test_an_unreadable_notebook_is_one_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json")
    with pytest.raises(notebooks.NotebookFailed, match="bad.ipynb is not a valid notebook"):
        notebooks.read(bad)


def test_execution_is_cached_by_code_content(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    path = write(tmp_path / "n.ipynb", md("# N"), code("import os; print(os.getpid())"))
    first, cached = notebooks.executed(path, cache)
    assert not cached
    again, cached = notebooks.executed(path, cache)
    assert cached and again.cells[1].outputs == first.cells[1].outputs  # same pid: not re-run
    assert "```python\nimport os" in notebooks.to_markdown(again)  # highlighted from the cache too

    nb = nbformat.read(path, 4)
    nb.cells[0].source = "# N, retitled"  # prose only: still cached, new prose shown
    nbformat.write(nb, path)
    prose, cached = notebooks.executed(path, cache)
    assert cached and prose.cells[0].source == "# N, retitled"

    nb.cells[1].source += "\nprint('more')"  # code changed: executed again
    nbformat.write(nb, path)
    _, cached = notebooks.executed(path, cache)
    assert not cached


def test_outputs_render_as_fenced_text(tmp_path: Path) -> None:
    path = write(tmp_path / "r.ipynb", md("# R"), code("print('line one')\n'value'"))
    out = notebooks.to_markdown(notebooks.execute(path))
    assert "```python\nprint('line one')" in out
    assert "line one\n```" in out and "'value'\n```" in out
