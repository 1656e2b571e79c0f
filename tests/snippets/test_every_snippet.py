"""Every snippet runs as the site build runs it, prints nothing that changes
between runs (pages show it), and has a test file of its own that exercises what it teaches."""

from __future__ import annotations

import re

import pytest

from onthewire import paths
from onthewire.site import runs

SNIPPETS = sorted(p.relative_to(paths.SNIPPETS).as_posix() for p in paths.SNIPPETS.rglob("*.py") if "__pycache__" not in p.parts)
TESTS = paths.ROOT / "tests" / "snippets"


@pytest.mark.parametrize("snippet", SNIPPETS)
def test_runs_and_prints_the_same_twice(snippet: str) -> None:
    # The first run is the site build's, cached by content (the build test ran it), or one now.
    first = runs.output(snippet)
    assert not re.search(r"(?:127\.0\.0\.1|localhost):\d+|\bGMT\b", first), "a port or a date in the output"
    assert runs.run(snippet) == first


@pytest.mark.parametrize("snippet", SNIPPETS)
def test_has_its_own_test(snippet: str) -> None:
    module, name = snippet.split("/", 1)
    assert (TESTS / module / f"test_{name}").exists(), f"tests/snippets/{module}/test_{name} is missing"
