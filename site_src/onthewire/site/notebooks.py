"""Execute notebooks (cached by content hash) and render them to Markdown for the site.

jupyter-cache keys a notebook by its code cells and kernel, so editing prose re-renders a
notebook without re-running it, and editing code re-runs only that notebook.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import MarkdownExporter

from onthewire import paths

RAISES_TAG = "raises-exception"  # nbclient's own tag for a cell that is meant to fail
CELL_TIMEOUT = 120


class NotebookFailed(Exception):
    """A notebook did not execute cleanly; the message names the notebook, cell and error."""


@dataclass
class Rendered:
    markdown: str
    from_cache: bool
    seconds: float | None = None  # how long its cells ran, when it was executed (and cached)


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def read(path: Path) -> nbformat.NotebookNode:
    try:
        return nbformat.read(path, as_version=4)
    except Exception as e:  # nbformat raises several kinds for unreadable JSON
        raise NotebookFailed(f"{_rel(path)} is not a valid notebook: {e}") from None


def _first_error(nb: nbformat.NotebookNode) -> tuple[int, dict] | None:
    for index, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code" or RAISES_TAG in cell.metadata.get("tags", []):
            continue
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                return index, output
    return None


def execute(path: Path, nb: nbformat.NotebookNode | None = None) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel, in the notebook's own folder."""
    nb = nb if nb is not None else read(path)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        # The kernel warns on every start that its local TCP ports are unencrypted: noise here.
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as e:
        found = _first_error(nb)
        if found:
            index, output = found
            raise NotebookFailed(f"{_rel(path)}, cell {index}: {output.ename}: {output.evalue}") from None
        raise NotebookFailed(f"{_rel(path)}: {str(e).strip().splitlines()[-1]}") from None
    except CellTimeoutError:
        raise NotebookFailed(f"{_rel(path)}: a cell ran longer than {CELL_TIMEOUT} s") from None
    except DeadKernelError as e:
        raise NotebookFailed(f"{_rel(path)}: the kernel died ({e})") from None
    return nb


def executed(path: Path, cache_dir: Path | None = None) -> tuple[nbformat.NotebookNode, bool]:
    """The notebook with outputs, from the cache when its code is unchanged. Returns (nb, cached)."""
    nb, cached, _ = _executed(path, cache_dir)
    return nb, cached


def _executed(path: Path, cache_dir: Path | None = None) -> tuple[nbformat.NotebookNode, bool, float | None]:
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(cache_dir or paths.CACHE / "notebooks")
    source = read(path)
    try:
        pk, merged = cache.merge_match_into_notebook(source)
        seconds = cache.get_cache_record(pk).data.get("seconds")
        if seconds is not None:  # a record from before run times were kept is run again
            return merged, True, seconds
    except KeyError:
        pass
    started = time.perf_counter()
    nb = execute(path, copy.deepcopy(source))
    seconds = time.perf_counter() - started
    # Cache the source notebook with the outputs copied in: the kernel rewrites metadata while
    # it runs, and the key must be the one the unchanged source will hash to next time.
    for original, ran in zip(source.cells, nb.cells):
        if original.cell_type == "code":
            original.outputs = ran.outputs
            original.execution_count = ran.execution_count
    bundle = CacheBundleIn(source, uri=_rel(path), data={"seconds": seconds})
    cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)
    return nb, False, seconds


def to_markdown(nb: nbformat.NotebookNode) -> str:
    exporter = MarkdownExporter(
        extra_template_basedirs=[str(paths.SITE_SRC / "templates")],
        template_name="notebook",
    )
    body, _ = exporter.from_notebook_node(nb)
    return body


def render(path: Path) -> Rendered:
    nb, cached, seconds = _executed(path)
    return Rendered(to_markdown(nb), cached, seconds)
