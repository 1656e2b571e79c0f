"""lifespan: startup before the first request, shutdown after the last, state copied shallowly
into each request, and an app whose startup failed is not served."""

from __future__ import annotations

import io

from snippets.asgi.lifespan import cycle, failed_startup, starlette_app


def test_startup_first_shutdown_last() -> None:
    trace = io.StringIO()
    cycle(out=trace)
    kinds = [line.split()[:3] for line in trace.getvalue().splitlines()]
    assert kinds[:3] == [["lifespan", "scope", "lifespan"], ["lifespan", "receive", "lifespan.startup"],
                         ["lifespan", "send", "lifespan.startup.complete"]]
    assert kinds[-3:] == [["lifespan", "receive", "lifespan.shutdown"], ["lifespan", "send", "lifespan.shutdown.complete"],
                          ["lifespan", "app", "returned"]]


def test_state_is_a_shallow_copy_per_request() -> None:
    first, second = cycle(out=io.StringIO())
    assert first == "Hello! Request 1; earlier note: nothing.\n"
    # the shared counter dict saw both requests; the key request 1 added did not reach request 2
    assert second == "Hello! Request 2; earlier note: nothing.\n"


def test_a_failed_startup_is_not_served() -> None:
    trace, code = failed_startup()
    assert "lifespan.startup.failed message='the database is unreachable'" in trace
    assert code == 3  # uvicorn's exit code for a failed startup
    assert "#1" not in trace


def test_starlettes_lifespan_context_manager_speaks_the_same_protocol() -> None:
    trace = io.StringIO()
    assert cycle(starlette_app, out=trace, requests=1) == ["Hello from the lifespan"]
    text = trace.getvalue()
    assert "lifespan send    lifespan.startup.complete" in text
    assert "state is now {'greeting': 'Hello from the lifespan'}" in text
    assert "lifespan send    lifespan.shutdown.complete" in text


def test_flask_has_no_before_first_request_any_more() -> None:
    # The page: Flask removed @app.before_first_request in 2.3; the installed Flask has none.
    import flask

    assert not hasattr(flask.Flask, "before_first_request")
    assert not hasattr(flask.Blueprint, "before_app_first_request")
