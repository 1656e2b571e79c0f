"""Starting the server: the APP argument, and the bundled app."""

from __future__ import annotations

from onthewire.labs.harness import RunLab, ServeFactory
from onthewire.labs.kit import fetch, refuses_unimportable_apps


def test_serves_hello(serve: ServeFactory) -> None:
    """serves the bundled hello:app

    Look at: the given parts of server.py (Connection, Server.handle_connection): did an edit break them?
    """
    with serve() as server:
        reply = fetch(server, "GET", "/")
    assert reply.status_code == 200, f"GET / answered {reply.status_code}"
    assert reply.text.startswith("Hello, world!"), f"unexpected body {reply.text[:80]!r}"


def test_app_that_cannot_be_imported(run_lab: RunLab) -> None:
    """exits with code 2 and a one-line message when APP can't be imported (no traceback)

    Look at: load_app() in server.py, and AppLoadError
    """
    refuses_unimportable_apps(run_lab)
