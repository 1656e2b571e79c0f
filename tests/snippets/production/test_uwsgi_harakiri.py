"""uwsgi_harakiri: uWSGI's master kills a worker stuck on a request past --harakiri; the
client's connection closes without a response, and a new worker serves the next request."""

from __future__ import annotations

import pytest

from snippets.production.uwsgi_harakiri import HARAKIRI, KILLED, STARTUP, VIEW_SECONDS, lines, slow_request


@pytest.fixture(scope="module")
def seen() -> dict:
    return slow_request()


def test_the_client_gets_no_response_before_the_view_would_end(seen: dict) -> None:
    # No response at all: the view never finished (it would have answered 200), and the log
    # test below names the harakiri. Time only bounds it from below: not before --harakiri.
    assert seen["got"] == "no response: Server disconnected without sending a response."
    assert seen["elapsed"] > HARAKIRI
    assert seen["after"] == 200


def test_the_log_names_the_harakiri_and_the_respawn(seen: dict) -> None:
    assert lines(seen["log"], KILLED) == [
        "*** HARAKIRI ON WORKER K (pid: N, try: 1, graceful: yes) ***",
        f"HARAKIRI [core N] 127.0.0.1 - GET /slow?s={VIEW_SECONDS} since N",
        "DAMN ! worker K (pid: N) died, killed by signal 9 :( trying respawn ...",
        "Respawned uWSGI worker K (new pid: N)",
    ]


def test_master_and_processes_with_threads(seen: dict) -> None:
    assert lines(seen["log"], STARTUP) == [
        "*** Operational MODE: preforking+threaded ***",
        "spawned uWSGI master process (pid: N)",
        "spawned uWSGI worker 1 (pid: N, cores: 2)",
        "spawned uWSGI worker 2 (pid: N, cores: 2)",
    ]
