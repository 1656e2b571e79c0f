"""The lifespan protocol (lifespan spec): startup before serving, state, shutdown."""

from __future__ import annotations

import signal
import socket
import subprocess
from pathlib import Path

from asgi_checks import APPS
from onthewire.labs.harness import RunLab, ServeFactory
from onthewire.labs.kit import exit_status, fetch, wait_for_exit, why


def test_startup_before_serving(serve: ServeFactory, markers: Path) -> None:
    """runs the app's lifespan startup before accepting connections, and puts its state in the scope

    Look at: Lifespan.startup(), and "state" in build_scope()
    """
    # lifespan_app takes 0.3 s to start up; this request goes out as soon as the port accepts.
    with serve(app="lifespan_app:app") as server:
        state = fetch(server, "GET", "/state").json()["state"]
        assert state is not None, f"the scope has no 'state': did Lifespan.startup() run?{why(server)}"
    assert state.get("greeting") == "'hello from startup'", \
        f"the request's state is {state}: it came before the startup finished, or the state isn't the lifespan's"


def test_state_is_copied(serve: ServeFactory, markers: Path) -> None:
    """gives each request a copy of the lifespan state: what one request adds, the next doesn't see

    Look at: "state" in build_scope() (lifespan spec, "Lifespan State": a shallow copy)
    """
    with serve(app="lifespan_app:app") as server:
        first = fetch(server, "GET", "/state").json()["state"]
        second = fetch(server, "GET", "/state").json()["state"]
    assert first is not None and second is not None, "the scope has no 'state': did Lifespan.startup() run?"
    assert "added by a request" not in second, f"the second request saw what the first added to its state: {second}"


def test_startup_failed(run_lab: RunLab, markers: Path) -> None:
    """exits with a non-zero code and the app's message when its startup fails, without ever listening

    Look at: Lifespan.startup() (lifespan.startup.failed) and main() (LifespanFailed)
    """
    # The check holds the port the server is told to use. A server that runs the startup first,
    # as the spec says ("A server must wait for this message before it starts processing
    # connections"), exits on the failed startup and never finds out; one that listens first,
    # or anyway, stops at once with "cannot listen", and nobody waits out a timeout.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        try:
            done = run_lab(app="lifespan_app:failing", app_dir=APPS, args=["--port", str(port)], timeout=5)
        except subprocess.TimeoutExpired:
            raise AssertionError("the server went on running after the app's startup failed: it should exit") from None
    assert "cannot listen" not in done.stderr, \
        "the server tried to listen although the app's startup failed: the startup comes first, and a failed one ends the server"
    assert done.returncode not in (0, None), f"the server exited with code {done.returncode}; want non-zero"
    assert "cannot reach the database at db.invalid:5432" in done.stderr, \
        f"the server should print the app's message; it printed {done.stderr.strip()[-200:]!r}"
    assert "Traceback" not in done.stderr, "a failed startup is the app's message, not a traceback"


def test_shutdown_on_sigterm(serve: ServeFactory, markers: Path) -> None:
    """runs the app's lifespan shutdown on SIGTERM, then exits with code 0

    Look at: serve() after the signal, and Lifespan.shutdown()
    """
    with serve(app="lifespan_app:app") as server:
        assert fetch(server, "GET", "/").status_code == 200
        server.process.send_signal(signal.SIGTERM)
        code = wait_for_exit(server, 3)
    events = (markers / "events").read_text().split("\n") if (markers / "events").exists() else []
    assert code is not None, "the server was still running 3 s after SIGTERM"
    assert "shutdown" in events, f"the app never got lifespan.shutdown ({exit_status(code)}); its events: {events}"
    assert code == 0, f"after SIGTERM the server {exit_status(code)}, want code 0"


def test_app_without_lifespan(serve: ServeFactory) -> None:
    """serves an app that raises on the lifespan scope, as the spec says, without lifespan

    Look at: Lifespan.startup() (the app raising instead of answering)
    """
    with serve(app="lifespan_app:no_lifespan") as server:
        reply = fetch(server, "GET", "/")
        assert reply.status_code == 200 and reply.text == "served without lifespan\n", \
            f"GET / answered {reply.status_code} {reply.text[:60]!r}{why(server)}"
