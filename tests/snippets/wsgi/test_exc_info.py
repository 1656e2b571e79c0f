"""exc_info: a replacement response before the body; a re-raise and a cut response after."""

from __future__ import annotations

from snippets.wsgi.exc_info import early, late, run, twice


def test_before_the_body_the_error_response_replaces_the_first() -> None:
    sent, logged = run(early)
    assert sent.startswith(b"HTTP/1.0 404 Not Found\r\n")
    assert sent.endswith(b"\r\n\r\nno such report\n")
    assert logged == ""


def test_after_the_body_started_start_response_reraises_and_the_response_is_cut() -> None:
    sent, logged = run(late)
    assert sent.startswith(b"HTTP/1.0 200 OK\r\n")  # the status already sent stays
    assert sent.endswith(b"\r\n\r\npart one\n")
    assert b"never sent" not in sent and b"Content-Length" not in sent
    assert logged == "LookupError: report 7 is gone"


def test_a_second_call_without_exc_info_is_refused() -> None:
    sent, logged = run(twice)
    assert sent.startswith(b"HTTP/1.0 500 Internal Server Error\r\n")
    assert logged == "AssertionError: Headers already set!"
