"""servers: five ASGI servers, each started for real, serve the same app; what each is."""

from __future__ import annotations

import pytest

from snippets.asgi.servers import SERVERS, ask

EXPECTED = {  # server header, Date header, h2c, spec_version, loop, where the app runs
    "uvicorn": ("uvicorn", "yes", "closed", "2.3", "uvloop", "the process started"),
    "hypercorn": ("hypercorn-h11", "yes", "HTTP/2", "2.1", "asyncio", "a worker process"),
    "daphne": ("daphne", "no", "closed", "(none)", "asyncio", "the process started"),
    "granian": ("granian", "yes", "HTTP/2", "2.3", "uvloop", "a worker process"),
    "gunicorn+UvicornWorker": ("uvicorn", "yes", "closed", "2.3", "uvloop", "a worker process"),
}


@pytest.mark.parametrize("name", list(SERVERS))
def test_each_server_serves_the_app_and_is_what_the_page_says(name: str) -> None:
    row = ask(name)
    assert row["status"] == 200
    got = (row["server header"], row["date header"], row["h2c"], row["spec_version"], row["loop"], row["app runs in"])
    assert got == EXPECTED[name]
    assert ("http.response.pathsend" in row["extensions"]) == (name == "granian")
