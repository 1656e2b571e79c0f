"""For every snippet test: run a snippet as the site build does, and leave nothing running."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from onthewire.site import runs


@pytest.fixture
def snippet_output(request: pytest.FixtureRequest) -> Callable[[str], str]:
    """`snippet_output("x.py")` runs site_src/snippets/MODULE/x.py as `<!-- run: MODULE/x.py -->`
    does (MODULE is the test's folder) and returns its stdout."""
    module = request.path.parent.name
    return lambda name: runs.run(f"{module}/{name}")


@pytest.fixture(autouse=True)
def _every_test_cleans_up(no_leftovers: None) -> None:
    """Snippet tests start servers: none may outlive its test."""
