"""django_close: behind a leaky middleware Django never finishes the request."""

from __future__ import annotations


def test_only_the_leaky_middleware_skips_request_finished_and_leaves_the_connection_open(
    snippet_output,
) -> None:
    # Django's settings are process-wide: the snippet runs in a process of its own.
    lines = snippet_output("django_close.py").splitlines()
    assert lines == [
        "django_app:",
        "  request_finished sent 1 time(s); connection left open: False",
        "shout_leaky(django_app):",
        "  request_finished sent 0 time(s); connection left open: True",
        "shout(django_app):",
        "  request_finished sent 1 time(s); connection left open: False",
    ]
