"""mod_wsgi_express: Apache serves the app through mod_wsgi daemon processes, as www-data when
started by root; mod_wsgi adds its own environ keys; nothing is left once it stops."""

from __future__ import annotations

import getpass
import os

import pytest

from snippets.production.mod_wsgi_express import serve

pytestmark = pytest.mark.system("apache2")


@pytest.fixture(scope="module")
def seen() -> dict:
    return serve()


def test_the_app_runs_in_daemon_processes_with_threads(seen: dict) -> None:
    assert seen["who"]["multithread"] is True and seen["who"]["multiprocess"] is True
    daemons = [line for line in seen["processes"] if line.startswith("(wsgi:shop)")]
    assert len(daemons) == 2
    assert "Request Capacity   : 6 (2 processes * 3 threads)" in seen["banner"]


def test_started_by_root_apache_children_run_as_www_data(seen: dict) -> None:
    # Started by anyone else, Apache cannot switch users: everything runs as that user.
    children = "www-data" if os.geteuid() == 0 else getpass.getuser()
    assert seen["processes"][0] == f"apache2 (mod_wsgi-express)  (user {getpass.getuser()})"
    assert all(line.endswith(f"(user {children})") for line in seen["processes"][1:])
    assert seen["who"]["user"] == children


def test_mod_wsgi_adds_its_own_keys(seen: dict) -> None:
    assert seen["added"]["mod_wsgi.process_group"] == "shop"
    assert seen["added"]["mod_wsgi.application_group"] == ""  # the main interpreter


def test_nothing_is_left_after_apache_stops(seen: dict) -> None:
    assert seen["left"] == []
