"""read_too_much: wsgiref's wsgi.input does not stop at Content-Length."""

from __future__ import annotations

from snippets.wsgi.read_too_much import careful, greedy, last_line, post
from onthewire.serving import serving_wsgi


def test_reading_content_length_bytes_answers_at_once() -> None:
    with serving_wsgi(careful) as url:
        early, late = post(url)
    assert early.startswith(b"HTTP/1.0 200 OK") and last_line(early) == "read 5 bytes"
    assert late == b""


def test_reading_without_a_size_waits_for_the_client_to_stop_sending() -> None:
    with serving_wsgi(greedy) as url:
        early, late = post(url)
    assert early == b""  # nothing within PATIENCE seconds
    assert late.startswith(b"HTTP/1.0 200 OK") and last_line(late) == "read 5 bytes"
