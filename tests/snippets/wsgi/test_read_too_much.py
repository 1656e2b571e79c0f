"""read_too_much: wsgiref's wsgi.input does not stop at Content-Length; Gunicorn's does, the
end of file PEP 3333 says a server "should" simulate."""

from __future__ import annotations

import pytest

from snippets.wsgi.read_too_much import PATIENCE, SERVERS, body_of, post, serving

# An answer that is expected may take as long as a busy machine needs: the claim is that it
# came before the client shut down its sending side (an order), not how fast it came.
EXPECTED = 30.0


@pytest.mark.parametrize("server", SERVERS)
def test_reading_content_length_bytes_answers_before_the_client_stops_sending(server: str) -> None:
    with serving(server, "careful") as url:
        early, late = post(url, patience=EXPECTED)
    assert body_of(early) == "read 5 bytes" and late == b""


def test_under_wsgiref_read_without_a_size_waits_for_the_client_to_stop_sending() -> None:
    with serving("wsgiref", "greedy") as url:
        early, late = post(url)
    assert early == b""  # nothing within PATIENCE seconds: a lower bound on the wait
    assert late.startswith(b"HTTP/1.0 200 OK") and body_of(late) == "read 5 bytes"


def test_under_gunicorn_read_without_a_size_stops_at_content_length() -> None:
    with serving("gunicorn", "greedy") as url:
        early, late = post(url, patience=EXPECTED)
    assert early.startswith(b"HTTP/1.1 200 OK") and body_of(early) == "read 5 bytes"
    assert late == b""


@pytest.mark.parametrize(("server", "flag"), [("wsgiref", "None"), ("gunicorn", "True")])
def test_gunicorn_says_its_input_is_terminated(server: str, flag: str) -> None:
    with serving(server, "terminated") as url:
        early, _ = post(url, patience=EXPECTED)
    assert body_of(early) == flag


def test_the_page_output(snippet_output) -> None:
    out = snippet_output("read_too_much.py")
    assert out.count(f"answer within {PATIENCE} s") == 4
    assert out.count("(nothing)") == 1  # only wsgiref's greedy app kept the client waiting
