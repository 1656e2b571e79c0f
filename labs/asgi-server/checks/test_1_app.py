"""Starting the server: the APP argument, and the bundled app."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from asgi_checks import fetch
from onthewire.course import Lab
from onthewire.labs.harness import ServeFactory
from onthewire.labs.runner import command_for, env_for
from onthewire.serving import free_port


def test_serves_hello(serve: ServeFactory) -> None:
    """serves the bundled hello:app

    Look at: the given parts of server.py (Connection, Server.handle_connection): did an edit break them?
    """
    with serve() as server:
        reply = fetch(server, "GET", "/")
    assert reply.status_code == 200, f"GET / answered {reply.status_code}"
    assert reply.text.startswith("Hello, world!"), f"unexpected body {reply.text[:80]!r}"


def test_app_that_cannot_be_imported(lab: Lab, code_dir: Path) -> None:
    """exits with code 2 and a one-line message when APP can't be imported (no traceback)

    Look at: load_app() in server.py, and AppLoadError
    """
    for app, missing in [("nosuch:app", "nosuch"), ("hello:nosuch", "nosuch"), ("hello", "module:attribute")]:
        command = command_for(lab, port=free_port(), app=app)
        try:
            done = subprocess.run(command, cwd=code_dir, env={**os.environ, **env_for(code_dir)}, capture_output=True,
                                  text=True, timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"server.py {app} did not exit: it should refuse an APP it can't import") from None
        message = done.stderr.strip()
        assert "Traceback" not in message, \
            f"server.py {app} printed a traceback; want one line, like: cannot import ..."
        assert done.returncode == 2, f"server.py {app} exited with code {done.returncode}, want 2"
        assert message and len(message.splitlines()) == 1, f"server.py {app} should print one line, not {message!r}"
        assert missing in message, f"server.py {app}: the message {message!r} should name {missing!r}"
