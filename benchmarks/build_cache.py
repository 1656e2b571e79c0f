"""How much the notebook execution cache saves: cold, warm and one-notebook-edited builds.

Run: .venv/bin/python benchmarks/build_cache.py

Builds the real site three ways in one run, with a cache of its own (the vendored Mermaid is
copied in, so that no build measures a download):
  cold   an empty cache: every notebook executes;
  warm   nothing changed: every notebook comes from the cache;
  edit   one notebook's code changed: only that one executes.
Prints the times and the ratios. The aim: warm at most 1/5 of cold.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = str(Path(sys.executable).parent / "mkdocs")


def build(cache: Path, site: Path) -> float:
    env = {**os.environ, "ONTHEWIRE_CACHE": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run([MKDOCS, "build", "--strict", "--quiet", "--site-dir", str(site)], cwd=ROOT, env=env, check=True)
    return time.perf_counter() - start


def main() -> None:
    notebooks = sorted((ROOT / "notebooks").rglob("*.ipynb"))
    if not notebooks:
        sys.exit("no notebooks to measure")
    with tempfile.TemporaryDirectory() as tmp:
        cache, site = Path(tmp) / "cache", Path(tmp) / "site"
        vendor = ROOT / ".cache" / "vendor"
        if vendor.exists():
            shutil.copytree(vendor, cache / "vendor")
        cold = build(cache, site)
        warm = build(cache, site)
        edited = notebooks[0]
        original = edited.read_bytes()
        try:
            import nbformat

            nb = nbformat.read(edited, as_version=4)
            code = next(c for c in nb.cells if c.cell_type == "code")
            code.source += "\n# edited by benchmarks/build_cache.py"
            nbformat.write(nb, edited)
            edit = build(cache, site)
        finally:
            edited.write_bytes(original)
    print(f"notebooks: {len(notebooks)} (edited: {edited.relative_to(ROOT)})")
    print(f"cold build (empty cache):      {cold:6.2f} s")
    print(f"warm build (nothing changed):  {warm:6.2f} s   warm/cold = {warm / cold:.2f}")
    print(f"after editing one notebook:    {edit:6.2f} s   edit/cold = {edit / cold:.2f}")
    print(f"aim warm/cold <= 0.20: {'met' if warm / cold <= 0.20 else 'NOT met'}")


if __name__ == "__main__":
    main()
