"""django_connections: under ASGI, Django opens a database connection for each request and, with
CONN_MAX_AGE = 0, closes it when the request ends; a persistent connection is not reused by the
next request (each has its own thread) and stays open; a query in AppConfig.ready() warns."""

from __future__ import annotations

import re

import pytest

from onthewire.site import runs

LINE = re.compile(r"CONN_MAX_AGE=(\d+): (\d+) requests one after another, (\d+) connections opened, "
                  r"(\d+) still open after the requests")


@pytest.fixture(scope="module")
def output() -> str:
    # Django's settings are process-wide: the snippet runs in a process of its own, once.
    return runs.run("asgi/django_connections.py")


def rows(output: str) -> dict[int, tuple[int, int, int]]:
    return {int(age): (int(n), int(made), int(left)) for age, n, made, left in LINE.findall(output)}


def test_django_opens_a_connection_per_request_and_closes_it_at_the_end(output: str) -> None:
    requests, made, left = rows(output)[0]
    assert requests > 1 and made == requests and left == 0


def test_a_persistent_connection_is_not_reused_under_asgi_and_stays_open(output: str) -> None:
    requests, made, left = rows(output)[60]
    assert made == requests  # one after another, yet a new connection each: a new thread each
    assert left == requests


def test_a_query_in_appconfig_ready_makes_django_warn(output: str) -> None:
    assert ("RuntimeWarning: Accessing the database during app initialization is discouraged. "
            "To fix this warning, avoid executing queries in AppConfig.ready()") in output
