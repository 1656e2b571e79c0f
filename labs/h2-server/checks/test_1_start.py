"""Starting the server: the APP argument, and one request over HTTP/2."""

from __future__ import annotations

from onthewire.labs.harness import RunLab, ServeFactory
from onthewire.labs.kit import fetch, refuses_unimportable_apps


def test_app_that_cannot_be_imported(run_lab: RunLab) -> None:
    """exits with code 2 and a one-line message when APP can't be imported (no traceback)

    Look at: load_app() in server.py (given): did an edit break it?
    """
    refuses_unimportable_apps(run_lab)


def test_serves_hello_over_http2(serve: ServeFactory) -> None:
    """answers httpx over HTTP/2 by prior knowledge (HEADERS and DATA on a stream of its own)

    Look at: Connection.request_received() (a Stream and its task) and Stream.send()
    """
    with serve() as server:
        reply = fetch(server, "GET", "/?name=Ada", http2=True)
    assert reply.http_version == "HTTP/2", f"the response came over {reply.http_version}, want HTTP/2"
    assert reply.status_code == 200, f"GET / answered {reply.status_code}, want 200"
    assert reply.text.startswith("Hello, Ada!"), f"unexpected body {reply.text[:80]!r}"
    assert "HTTP/2" in reply.text, f"the app should see http_version '2' in its scope; it said {reply.text!r}"
