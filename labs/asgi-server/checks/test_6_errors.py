"""When the app fails (main spec, "Error Handling")."""

from __future__ import annotations

import pytest

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import exchange, fetch, shown, wait_for_output

SECRET = "hunter2"  # in failing_app's exception messages


@pytest.mark.allow_traceback  # the app raises on purpose: the server logs it
def test_error_before_head_is_a_500(serve: ServeFactory) -> None:
    """answers 500 when the app raises before a body went out, and logs the traceback, not to the client

    Look at: RequestCycle.run(), and send() (it holds the head back until the first body)
    """
    with serve(app="failing_app:app") as server:
        for path in ["/raise", "/raise-after-start"]:
            reply = fetch(server, "GET", path)
            assert reply.status_code == 500, f"GET {path}: got {reply.status_code}, want 500"
            assert SECRET not in reply.text and "Traceback" not in reply.text, \
                f"GET {path}: the 500's body shows the error to the client: {reply.text[:80]!r}"
        wait_for_output(server, SECRET)
        assert "Traceback" in server.output() and SECRET in server.output(), \
            "the traceback should be in the server's output (stderr)"
        reply = fetch(server, "GET", "/ok")
        assert reply.text == "still serving\n", "the server should go on serving after an app error"


@pytest.mark.allow_traceback  # the app raises on purpose: the server logs it
def test_error_after_head_leaves_response_unfinished(serve: ServeFactory) -> None:
    """closes the connection, the response unfinished, when the app raises after the headers went out

    Look at: RequestCycle.run() (self.head_sent)
    """
    with serve(app="failing_app:app") as server:
        answer = exchange(server, b"GET /raise-mid-body HTTP/1.1\r\nHost: lab\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200"), f"want the 200 sent before the error; got {shown(answer[:60])}"
    assert b"partial" in answer, f"want the piece sent before the error; got {shown(answer)}"
    assert not answer.endswith(b"0\r\n\r\n"), "the chunked body ended normally: the client can't tell it failed"
    assert SECRET not in answer.decode("latin-1"), "the error's message reached the client"


def test_app_returns_without_response(serve: ServeFactory) -> None:
    """answers 500 when the app returns without a response, and leaves a half-sent one unfinished

    Look at: RequestCycle.run() (self.response_complete)
    """
    with serve(app="failing_app:app") as server:
        reply = fetch(server, "GET", "/no-response")
        assert reply.status_code == 500, f"GET /no-response: got {reply.status_code}, want 500"
        answer = exchange(server, b"GET /unfinished HTTP/1.1\r\nHost: lab\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200") and b"partial" in answer, f"GET /unfinished: got {shown(answer)}"
    assert not answer.endswith(b"0\r\n\r\n"), \
        "GET /unfinished: the chunked body ended normally, but the app never finished it"


@pytest.mark.allow_traceback  # the app raises on purpose: the server logs it
def test_invalid_messages(serve: ServeFactory) -> None:
    """raises from send() on a message with str where the spec says bytes, so the client gets a 500

    Look at: RequestCycle.send() (main spec, "Error Handling": invalid messages raise out of send())
    """
    with serve(app="failing_app:app") as server:
        for path in ["/str-headers", "/str-body"]:
            reply = fetch(server, "GET", path)
            assert reply.status_code == 500, \
                f"GET {path}: got {reply.status_code} {reply.text[:60]!r}; send() should have refused the message"
