"""django_threads: under ASGI, Django runs the sync views of concurrent requests in parallel
threads, one per request, with each request's sync middleware in its view's thread; asgiref's
WsgiToAsgi runs the same project's views in one thread, one at a time."""

from __future__ import annotations

import re

import pytest

from onthewire.site import runs

SUMMARY = re.compile(r"(\d+) threads? ran the (\d+) views, at most (\d+) at once; "
                     r"each view in its middleware's thread: (True|False)")


@pytest.fixture(scope="module")
def summaries() -> dict[str, tuple[int, int, int, bool]]:
    # Django's settings are process-wide: the snippet runs in a process of its own, once.
    out = runs.run("asgi/django_threads.py")
    django, wsgi = out.split("\n\n")
    assert django.startswith("Django's ASGI application")
    assert wsgi.startswith("The same project's WSGI application in asgiref's WsgiToAsgi")

    def parse(block: str) -> tuple[int, int, int, bool]:
        threads, views, most, same = SUMMARY.search(block).groups()
        return int(threads), int(views), int(most), same == "True"

    return {"django": parse(django), "wsgitoasgi": parse(wsgi)}


def test_django_runs_each_requests_sync_view_in_a_thread_of_its_own(summaries) -> None:
    threads, views, most, _ = summaries["django"]
    assert views > 1
    assert threads == views  # one thread per request, not one shared thread
    assert most > 1  # and they ran at the same time: counted in the views, not timed


def test_all_of_djangos_views_met_at_once(summaries) -> None:
    # What the page prints: every view was running when the last one came in.
    threads, views, most, _ = summaries["django"]
    assert most == views


def test_within_a_request_the_sync_middleware_and_the_view_share_a_thread(summaries) -> None:
    assert summaries["django"][3] is True


def test_wsgitoasgi_runs_the_same_views_in_one_thread_one_at_a_time(summaries) -> None:
    threads, views, most, same = summaries["wsgitoasgi"]
    assert (threads, most, same) == (1, 1, True)
    assert views == summaries["django"][1]
