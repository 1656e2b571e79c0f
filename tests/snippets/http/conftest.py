"""Shared by this module's snippet tests: run a snippet exactly as the site build does."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from onthewire.site import runs


def run_snippet(name: str) -> str:
    """`python NAME` in the snippet's folder, as `<!-- run: http/NAME -->` does; its stdout."""
    return runs.run(f"http/{name}")


@pytest.fixture
def snippet_output() -> Callable[[str], str]:
    return run_snippet


@pytest.fixture(autouse=True)
def _every_test_cleans_up(no_leftovers: None) -> None:
    """Every test here starts servers: none may outlive its test."""
