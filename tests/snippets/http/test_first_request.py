"""One GET written by hand gets a whole response, and the connection closes as asked."""

from __future__ import annotations

from collections.abc import Callable

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.http.demo_app import app
from snippets.http.first_request import exchange


def test_a_hand_written_get_is_answered_and_the_server_closes() -> None:
    with serving_asgi(app) as url:
        request, response = exchange(url)  # returns only once the server has closed
    assert request.endswith(b"\r\n\r\n")
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nconnection: close" in head.lower()
    assert body == b"hello\n"


def test_what_the_page_shows(snippet_output: Callable[[str], str]) -> None:
    out = snippet_output("first_request.py")
    assert out.splitlines()[0] == r"> GET / HTTP/1.1\r\n"
    assert r"< date: <masked>\r\n" in out
    assert out.rstrip().endswith(r"< hello\n")


def test_the_socket_timeout_the_page_names() -> None:
    # index.md: without Connection: close, recv() waits for "the socket's timeout (5 s here)".
    assert rawhttp.TIMEOUT == 5
