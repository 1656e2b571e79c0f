"""Run a snippet at build time and show what it printed: `<!-- run: http/raw_get.py -->`.

Outputs are cached by the snippet's content (and the course package's), like notebooks.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from onthewire import paths

TIMEOUT = 60


class RunFailed(Exception):
    pass


def _package_digest() -> str:
    """The course package and every snippet: a snippet may import others, in any module."""
    h = hashlib.sha256()
    for folder in (paths.SITE_SRC / "onthewire", paths.SNIPPETS):
        for f in sorted(folder.rglob("*.py")):
            h.update(f.relative_to(paths.SITE_SRC).as_posix().encode() + f.read_bytes())
    return h.hexdigest()


def _source(snippet: str) -> Path:
    source = paths.SNIPPETS / snippet
    if not source.is_file():
        raise RunFailed(f"no snippet {snippet!r} in site_src/snippets")
    return source


def output(snippet: str) -> str:
    """What the snippet prints, from the cache when neither it nor the package changed."""
    source = _source(snippet)
    key = hashlib.sha256(source.read_bytes() + _package_digest().encode()).hexdigest()
    cached = paths.CACHE / "runs" / f"{key}.txt"
    if cached.exists():
        return cached.read_text()
    text = run(snippet)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(text)
    partial.replace(cached)  # atomic: a build running beside this one never reads half a file
    return text


def run(snippet: str) -> str:
    """Run `python FILE` in the snippet's folder, as the build does, uncached; its stdout.

    A snippet that writes to stderr fails too: whatever it has to say belongs on the page.
    """
    source = _source(snippet)
    try:
        result = subprocess.run(
            [sys.executable, source.name], cwd=source.parent, capture_output=True, text=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        raise RunFailed(f"site_src/snippets/{snippet} ran longer than {TIMEOUT} s") from None
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise RunFailed(f"site_src/snippets/{snippet} exited with {result.returncode}: {last}")
    if result.stderr.strip():
        raise RunFailed(f"site_src/snippets/{snippet} wrote to stderr: {result.stderr.strip().splitlines()[-1]}")
    return result.stdout
