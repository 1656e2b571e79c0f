"""Every snippet runs as the build runs it, writes nothing to stderr, and prints the same
output twice in a row: pages show outputs that must not change between builds."""

from __future__ import annotations

import pytest

from onthewire import paths

NAMES = sorted(p.name for p in (paths.SNIPPETS / "wsgi").glob("*.py"))


@pytest.mark.parametrize("name", NAMES)
def test_runs_and_prints_the_same_twice(name: str, snippet_output) -> None:
    first = snippet_output(name)
    assert first.strip(), f"{name} printed nothing"
    assert snippet_output(name) == first
