"""by_hand: an app is a callable; the environ make_environ builds is a complete one; call()
does what a server owes the app (start_response rules, bytes only, close())."""

from __future__ import annotations

import warnings
from wsgiref.validate import validator

import pytest

from snippets.wsgi.by_hand import app, call, make_environ


def test_the_app_greets_the_path_with_bytes_and_a_content_length() -> None:
    response = call(app, make_environ("/ada"))
    assert response.status == "200 OK"
    assert response.body == b"Hello, ada!\n"
    assert ("Content-Length", str(len(response.body))) in response.headers
    assert call(app, make_environ("/")).body == b"Hello, world!\n"


def test_make_environ_satisfies_wsgiref_validate() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the validator's WSGIWarnings count as failures
        assert call(validator(app), make_environ("/ada", method="POST", body=b"x",
                                                 headers={"Content-Type": "text/plain"})).status == "200 OK"


def test_content_headers_keep_their_cgi_names() -> None:
    environ = make_environ(body=b"abc", headers={"Content-Type": "text/plain", "X-Id": "7"})
    assert environ["CONTENT_TYPE"] == "text/plain" and environ["CONTENT_LENGTH"] == "3"
    assert environ["HTTP_X_ID"] == "7"
    assert "HTTP_CONTENT_TYPE" not in environ and "HTTP_CONTENT_LENGTH" not in environ


def test_a_str_chunk_is_refused() -> None:
    def str_app(environ, start_response):
        start_response("200 OK", [])
        return ["text"]

    with pytest.raises(TypeError, match="not bytes"):
        call(str_app, make_environ())


def test_start_response_twice_needs_exc_info() -> None:
    def twice(environ, start_response):
        start_response("200 OK", [])
        start_response("500 Internal Server Error", [])
        return [b""]

    with pytest.raises(AssertionError, match="without exc_info"):
        call(twice, make_environ())


def test_close_is_called_even_when_iteration_fails() -> None:
    closed = []

    def failing(environ, start_response):
        start_response("200 OK", [])
        try:
            yield b"a"
            raise RuntimeError("boom")
        finally:
            closed.append(True)

    with pytest.raises(RuntimeError):
        call(failing, make_environ())
    assert closed == [True]
