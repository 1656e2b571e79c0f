"""Starting the server: the APP argument, and one request over HTTP/2."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from h2_checks import fetch
from onthewire.course import Lab
from onthewire.labs.harness import ServeFactory
from onthewire.labs.runner import command_for, env_for
from onthewire.serving import free_port


def test_app_that_cannot_be_imported(lab: Lab, code_dir: Path) -> None:
    """exits with code 2 and a one-line message when APP can't be imported (no traceback)

    Look at: load_app() in server.py (given): did an edit break it?
    """
    for app, missing in [("nosuch:app", "nosuch"), ("hello:nosuch", "nosuch"), ("hello", "module:attribute")]:
        command = command_for(lab, port=free_port(), app=app)
        try:
            done = subprocess.run(command, cwd=code_dir, env={**os.environ, **env_for(code_dir)}, capture_output=True,
                                  text=True, timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"server.py {app} did not exit: it should refuse an APP it can't import") from None
        message = done.stderr.strip()
        assert "Traceback" not in message, f"server.py {app} printed a traceback; want one line"
        assert done.returncode == 2, f"server.py {app} exited with code {done.returncode}, want 2"
        assert message and len(message.splitlines()) == 1, f"server.py {app} should print one line, not {message!r}"
        assert missing in message, f"server.py {app}: the message {message!r} should name {missing!r}"


def test_serves_hello_over_http2(serve: ServeFactory) -> None:
    """answers httpx over HTTP/2 by prior knowledge (HEADERS and DATA on a stream of its own)

    Look at: Connection.request_received() (a Stream and its task) and Stream.send()
    """
    with serve() as server:
        reply = fetch(server, "GET", "/?name=Ada")
    assert reply.http_version == "HTTP/2", f"the response came over {reply.http_version}, want HTTP/2"
    assert reply.status_code == 200, f"GET / answered {reply.status_code}, want 200"
    assert reply.text.startswith("Hello, Ada!"), f"unexpected body {reply.text[:80]!r}"
    assert "HTTP/2" in reply.text, f"the app should see http_version '2' in its scope; it said {reply.text!r}"
