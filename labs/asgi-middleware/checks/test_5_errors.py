"""Step 5: an exception from the app reaches the server, which answers 500 and logs it."""

from __future__ import annotations

import httpx
import pytest

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import TIMEOUT, fetch, wait_for_output, why
from onthewire.serving import Running

# What uvicorn prints when the app returns, with no exception, without a (complete) response.
SWALLOWED = "ASGI callable returned without"


def _reached_the_server(server: Running, message: str) -> None:
    if not wait_for_output(server, message):
        said = " (uvicorn said: " + SWALLOWED + " ...: the exception was swallowed)" if SWALLOWED in server.output() else why(server)
        raise AssertionError(f"the app raised RuntimeError({message!r}), and the server never saw it{said}")


@pytest.mark.allow_traceback  # the app raises on purpose: the server logs it
def test_exception_before_the_response(serve: ServeFactory) -> None:
    """lets an exception raised before the response reach the server: a 500, and the traceback in its log

    Look at: ServerTiming.__call__: no try/except around the app, or one that re-raises
    """
    with serve(app="raw_app:app") as server:
        reply = fetch(server, "GET", "/boom")
        assert reply.status_code == 500, f"GET /boom, whose app raises, answered {reply.status_code}"
        _reached_the_server(server, "boom before the response")


@pytest.mark.allow_traceback  # the app raises on purpose: the server logs it
def test_exception_in_a_starlette_view(serve: ServeFactory) -> None:
    """lets an exception from a Starlette view reach Starlette's error handler and the server

    Look at: ServerTiming.__call__: no try/except around the app, or one that re-raises
    """
    with serve(app="starlette_app:app") as server:
        reply = fetch(server, "GET", "/error")
        assert reply.status_code == 500, f"GET /error, whose view raises, answered {reply.status_code}"
        _reached_the_server(server, "boom in a Starlette view")


@pytest.mark.allow_traceback  # the app raises on purpose: the server logs it
def test_exception_after_the_response_started(serve: ServeFactory) -> None:
    """lets an exception raised mid-body reach the server, which cuts the response short

    Look at: ServerTiming.__call__ and your send: nothing catches the app's exception
    """
    with serve(app="raw_app:app") as server:
        try:
            with httpx.Client(timeout=TIMEOUT) as client:
                client.get(f"{server.url}/boom-midway")
        except httpx.HTTPError:
            pass  # a body cut short is what the client should see
        _reached_the_server(server, "boom in the middle of the body")
