"""environ_tour: where each part of a real request lands in wsgiref's environ."""

from __future__ import annotations

import sys

from snippets.wsgi.environ_tour import send_requests

CGI = ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME",
       "SERVER_PORT", "SERVER_PROTOCOL", "CONTENT_TYPE", "CONTENT_LENGTH")


def test_request_line_and_content_headers_become_cgi_variables() -> None:
    environ, _ = send_requests()
    assert environ["REQUEST_METHOD"] == "POST"
    assert environ["SCRIPT_NAME"] == ""
    assert environ["PATH_INFO"] == "/search"
    assert environ["QUERY_STRING"] == "q=wsgi&page=2"
    assert environ["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert environ["CONTENT_TYPE"] == "application/json"
    assert environ["CONTENT_LENGTH"] == "15"
    assert environ["SERVER_PORT"].isdigit()
    assert all(type(environ[key]) is str for key in CGI)  # native strings, the port too


def test_other_headers_become_http_keys_and_content_ones_do_not() -> None:
    environ, _ = send_requests()
    assert environ["HTTP_X_REQUEST_ID"] == "42"
    assert environ["HTTP_USER_AGENT"] == "course-client"
    assert environ["HTTP_HOST"].startswith("127.0.0.1:")
    assert "HTTP_CONTENT_TYPE" not in environ and "HTTP_CONTENT_LENGTH" not in environ


def test_wsgi_keys_and_the_body() -> None:
    environ, _ = send_requests()
    assert environ["wsgi.version"] == (1, 0)
    assert environ["wsgi.url_scheme"] == "http"
    assert environ["wsgi.errors"] is sys.stderr
    assert environ["wsgi.multithread"] is False and environ["wsgi.multiprocess"] is False
    assert environ["wsgi.run_once"] is False
    assert environ["body read"] == b'{"draft": true}'


def test_dash_and_underscore_header_names_share_a_key() -> None:
    _, second = send_requests()
    assert second["HTTP_X_USER"] == "alice,mallory"


def test_wsgiref_copies_the_process_environment_into_environ() -> None:
    environ, _ = send_requests()
    assert "PATH" in environ
