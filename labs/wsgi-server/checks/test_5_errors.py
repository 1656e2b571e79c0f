"""When the app fails, and when the client leaves: PEP 3333 "Error Handling", and close()."""

from __future__ import annotations

from pathlib import Path

import pytest

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import connect, exchange, fetch, read_until, wait_for_output
from wsgi_checks import APPS, closed_or_released

SECRET = "hunter2"  # in the failing app's exception messages


@pytest.mark.allow_traceback  # the app raises on purpose: the server logs it
def test_error_before_headers_is_a_500(serve: ServeFactory) -> None:
    """answers 500 with a short body when the app raises, and logs the traceback, not to the client

    Look at: handle_request() (except Exception) in server.py
    """
    with serve(app="failing_app:app", app_dir=APPS) as server:
        for path in ["/raise", "/raise-in-body"]:
            reply = fetch(server, "GET", path)
            assert reply.status_code == 500, f"GET {path}: got {reply.status_code}, want 500"
            assert SECRET not in reply.text and "Traceback" not in reply.text, \
                f"GET {path}: the 500's body shows the error to the client: {reply.text[:80]!r}"
        assert wait_for_output(server, "Traceback") and SECRET in server.output(), \
            "the traceback should be in the server's output (stderr)"
        reply = fetch(server, "GET", "/ok")
        assert reply.text == "still serving\n", "the server should go on serving after an app error"


@pytest.mark.allow_traceback  # the app raises on purpose: the server logs it
def test_error_after_headers_aborts(serve: ServeFactory, markers: Path) -> None:
    """aborts the connection when the app raises after the headers were sent

    Look at: handle_request() (response.headers_sent) and run_app()
    """
    with serve(app="failing_app:app", app_dir=APPS) as server:
        answer = exchange(server, b"GET /raise-mid-body HTTP/1.1\r\nHost: lab\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200"), f"want the 200 sent before the error; got {answer[:60]!r}"
    assert b"partial" in answer, f"want the piece sent before the error; got {answer!r}"
    assert not answer.endswith(b"0\r\n\r\n"), "the chunked body ended normally: the client can't tell it failed"
    assert SECRET not in answer.decode("latin-1"), "the error's message reached the client"


def test_close_after_response(serve: ServeFactory, markers: Path) -> None:
    """calls the iterable's close() after a complete response

    Look at: run_app() (PEP 3333 "Specification Details": close())
    """
    with serve(app="streaming_app:app", app_dir=APPS) as server:
        reply = fetch(server, "GET", "/closing")
        assert reply.status_code == 200, f"GET /closing answered {reply.status_code}"
        what = closed_or_released(markers, "closing")
    assert what == "closed", ("the server let go of the app's iterable without calling its close()"
                              if what else "close() was not called on the app's iterable")


def test_close_when_client_disconnects(serve: ServeFactory, markers: Path) -> None:
    """calls the iterable's close() when the client disconnects mid-stream

    Look at: run_app() (try/finally) and Response.send() (ClientGone)
    """
    with serve(app="streaming_app:app", app_dir=APPS) as server:
        with connect(server) as sock:
            sock.sendall(b"GET /count HTTP/1.1\r\nHost: lab\r\n\r\n")
            read_until(sock, b"piece 0", "the first piece arrived")
        what = closed_or_released(markers, "count")
    assert what == "closed", ("the server let go of the app's iterable without calling its close(), after the client went away"
                              if what else "close() was not called after the client went away")
    closed = (markers / "count.closed").read_text()
    assert "of 100" in closed and not closed.startswith("closed after 100"), \
        f"the server went on iterating after the client left ({closed})"


@pytest.mark.allow_traceback  # the app raises on purpose: the server logs it
def test_close_when_app_raises(serve: ServeFactory, markers: Path) -> None:
    """calls the iterable's close() when the app raises mid-stream

    Look at: run_app() (try/finally)
    """
    with serve(app="failing_app:app", app_dir=APPS) as server:
        exchange(server, b"GET /raise-mid-body HTTP/1.1\r\nHost: lab\r\n\r\n")
        what = closed_or_released(markers, "raise-mid-body")
    assert what == "closed", ("the server let go of the app's iterable without calling its close(), after it raised"
                              if what else "close() was not called after the app raised")
