"""servers: six ASGI servers, each started for real, serve the same app; what each is."""

from __future__ import annotations

import pytest

from snippets.asgi.servers import SERVERS, ask, spec_versions

EXPECTED = {  # server header, Date header, h2c, spec_version, loop, where the app runs
    "uvicorn": ("uvicorn", "yes", "closed", "2.3", "uvloop", "the process started"),
    "hypercorn": ("hypercorn-h11", "yes", "HTTP/2", "2.1", "asyncio", "a worker process"),
    "daphne": ("daphne", "no", "closed", "(none)", "asyncio", "the process started"),
    "granian": ("granian", "yes", "HTTP/2", "2.3", "uvloop", "a worker process"),
    "gunicorn+UvicornWorker": ("uvicorn", "yes", "closed", "2.3", "uvloop", "a worker process"),
    # gunicorn's own worker answers with its own server header: gunicorn parsed the request.
    "gunicorn -k asgi": ("gunicorn/asgi", "yes", "closed", "2.4", "uvloop", "a worker process"),
}


@pytest.mark.parametrize("name", list(SERVERS))
def test_each_server_serves_the_app_and_is_what_the_page_says(name: str) -> None:
    row = ask(name)
    assert row["status"] == 200
    got = (row["server header"], row["date header"], row["h2c"], row["spec_version"], row["loop"], row["app runs in"])
    assert got == EXPECTED[name]
    assert ("http.response.pathsend" in row["extensions"]) == (name == "granian")


def test_the_page_shows_six_servers_and_orders_their_spec_versions(snippet_output) -> None:
    output = snippet_output("servers.py")
    for name in SERVERS:
        assert f"\n{name} " in output
    # The page: daphne declares no spec_version, 2.0 by the spec's default, the oldest of the
    # six; hypercorn's 2.1 is the oldest one declared; gunicorn's own worker the newest.
    rows = [{"server": name, "spec_version": spec} for name, (*_, spec, _, _) in EXPECTED.items()]
    order = spec_versions(rows)
    assert order[0] == ("daphne", "2.0") and order[1] == ("hypercorn", "2.1")
    assert order[-1] == ("gunicorn -k asgi", "2.4")
    assert "oldest first (none declared counts as 2.0): daphne 2.0, hypercorn 2.1," in output
    assert output.rstrip().endswith("gunicorn -k asgi 2.4")
