"""Every snippet of this module runs as the site build runs it, and prints the same twice."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from onthewire import paths

SNIPPETS = sorted(p.name for p in (paths.SNIPPETS / "http").glob("*.py"))


@pytest.mark.parametrize("name", SNIPPETS)
def test_runs_and_prints_nothing_that_changes(name: str, snippet_output: Callable[[str], str]) -> None:
    first = snippet_output(name)
    assert not re.search(r"127\.0\.0\.1|:\d{4,5}\b|GMT", first), "a port, address or date in the output"
    assert snippet_output(name) == first
