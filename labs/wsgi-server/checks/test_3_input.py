"""The request body: wsgi.input (PEP 3333 "Input and Error Streams")."""

from __future__ import annotations

import json

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import Connection, fetch, shown
from wsgi_checks import APPS, pipelined_then_eof


def test_body_in_wsgi_input(serve: ServeFactory) -> None:
    """gives the app the request body in wsgi.input

    Look at: build_environ() (CONTENT_LENGTH, wsgi.input)
    """
    with serve(app="environ_app:app", app_dir=APPS) as server:
        reply = fetch(server, "POST", "/read/length", content=b"name=Ada&lang=fr")
    assert reply.status_code == 200, f"POST answered {reply.status_code}"
    assert reply.json()["body"] == ["name=Ada&lang=fr"], f"the app read {reply.json()['body']}"


def test_input_ends_with_the_body(serve: ServeFactory) -> None:
    """ends wsgi.input where the body ends: read() with no size or a larger one, and iteration, stop there

    Look at: RequestBody._allowed() in server.py
    """
    with serve(app="environ_app:app", app_dir=APPS) as server:
        for path, body, want, how in [("/read/all", b"all of it", ["all of it"], "read()"),
                                      ("/read/more", b"short", ["short"], "read(100)"),
                                      ("/read/lines", b"a\nb\nc", ["a\n", "b\n", "c"], "iterating")]:
            # The next request follows the body at once, as on any keep-alive connection.
            replies = pipelined_then_eof(server, [("POST", path, body), ("GET", "/read/none", b"")])
            assert replies, f"POST {path}: no response"
            assert replies[0].status == 200, f"POST {path} answered {replies[0].status}"
            got = json.loads(replies[0].body)["body"]
            assert got == want, f"{how} on wsgi.input returned {shown(got)}: " + (
                "the next request's bytes too" if "GET /read/none" in "".join(got) else f"want {want}")
            assert len(replies) == 2, f"POST {path}: the request after it got no answer"


def test_unread_body_is_skipped(serve: ServeFactory) -> None:
    """skips what the app left unread of a body before the next request on a keep-alive connection

    Look at: RequestBody.drain() in server.py
    """
    with serve(app="environ_app:app", app_dir=APPS) as server, Connection(server) as connection:
        first = connection.request("POST", "/read/some", body=b"0123456789" * 10_000)
        assert first.status == 200, f"the POST answered {first.status}"
        assert json.loads(first.body)["body"] == ["01234"], "the app should have read 5 bytes"
        try:
            second = connection.request("GET", "/read/none")
        except AssertionError as e:
            raise AssertionError(f"{e}: was the unread rest of the body taken for the next request?") from None
        assert second.status == 200, f"the next request got {second.status}: was the rest of the body taken for it?"
        assert json.loads(second.body)["cgi"].get("PATH_INFO") == "/read/none"
