"""add_header: a middleware that wraps start_response and leaves the body alone."""

from __future__ import annotations

from snippets.wsgi.add_header import SecurityHeaders, secured
from snippets.wsgi.by_hand import app, call, make_environ


def test_headers_are_added_after_the_apps_own() -> None:
    response = call(secured, make_environ("/ada"))
    assert response.headers[:2] == call(app, make_environ("/ada")).headers
    assert response.headers[2:] == [("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY")]
    assert response.body == b"Hello, ada!\n"


def test_a_header_the_app_set_is_kept() -> None:
    def framed(environ, start_response):
        start_response("200 OK", [("X-Frame-Options", "SAMEORIGIN")])
        return [b""]

    headers = call(SecurityHeaders(framed, [("X-Frame-Options", "DENY")]), make_environ()).headers
    assert headers == [("X-Frame-Options", "SAMEORIGIN")]


def test_the_apps_own_iterable_reaches_the_server_and_exc_info_passes_through() -> None:
    body = object()
    passed = []

    def inner(environ, start_response):
        passed.append(start_response("500 Internal Server Error", [], ("exc", "info", None)))
        return body

    def server_start_response(status, headers, exc_info=None):
        passed.append(exc_info)
        return "write"

    assert SecurityHeaders(inner, [])(make_environ(), server_start_response) is body
    assert passed == [("exc", "info", None), "write"]
