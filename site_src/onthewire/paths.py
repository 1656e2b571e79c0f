"""Where the course's folders are, found from this package's place in the repository."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
NOTEBOOKS = ROOT / "notebooks"
LABS = ROOT / "labs"
SITE_SRC = ROOT / "site_src"
SNIPPETS = SITE_SRC / "snippets"
CACHE = Path(os.environ.get("ONTHEWIRE_CACHE") or ROOT / ".cache")  # benchmarks point it elsewhere
COURSE_FILE = SITE_SRC / "course.toml"


def workspace() -> Path:
    """The learner's git-ignored folder of lab copies; WIRE_WORKSPACE moves it (tests do)."""
    return Path(os.environ.get("WIRE_WORKSPACE") or ROOT / "workspace")
