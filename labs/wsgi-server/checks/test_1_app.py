"""Starting the server: the APP argument, and the HTTP layer the starter gives you."""

from __future__ import annotations

import subprocess

from onthewire.labs.harness import RunLab, ServeFactory
from onthewire.labs.kit import exchange, fetch, refuses_unimportable_apps, shown
from wsgi_checks import APPS


def test_serves_hello(serve: ServeFactory) -> None:
    """serves the bundled hello:app

    Look at: the given parts of server.py (serve, handle_connection): did an edit break them?
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
    app = "environ_app:NOT_AN_APP"  # a str
    try:
        done = run_lab(app=app, app_dir=APPS, timeout=5)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"server.py {app} went on to serve a str as its app: refuse what isn't callable") from None
    assert done.returncode == 2 and "Traceback" not in done.stderr, \
        f"server.py {app} exited with code {done.returncode}, want 2 and one line, got {shown(done.stderr.strip())}"


def test_http_layer_still_refuses_bad_requests(serve: ServeFactory) -> None:
    """still refuses malformed requests (400), huge heads (431) and huge bodies (413)

    Look at: the given HTTP layer (read_head, parse_request, handle_connection)
    """
    with serve() as server:
        for request, status in [
            (b"NOT HTTP AT ALL\r\n\r\n", b"400"),
            (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", b"431"),
            (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n", b"413"),
        ]:
            answer = exchange(server, request)
            assert answer.startswith(b"HTTP/1.1 " + status), f"{request[:30]!r}... got {answer[:40]!r}, want {status.decode()}"
