"""One message, two framings: uvicorn+h11 answers the hidden request and keeps the connection,
against RFC 9112 §6.1; uvicorn+httptools refuses the message and closes."""

from __future__ import annotations

from onthewire.serving import serving_asgi
from snippets.http import smuggling
from snippets.http.demo_app import app


def test_the_two_framings_disagree() -> None:
    assert smuggling.requests_by_content_length(smuggling.ATTACK) == [b"POST /echo HTTP/1.1"]
    assert smuggling.requests_by_transfer_encoding(smuggling.ATTACK) == [
        b"POST /echo HTTP/1.1",
        b"GET /echo?smuggled=yes HTTP/1.1",
    ]


def test_httptools_refuses_and_closes() -> None:
    with serving_asgi(app, http="httptools", log_level="error") as url:
        responses = smuggling.responses_from(url)
    assert [(r.status, r.body) for r in responses] == [(400, b"Invalid HTTP request received.")]


def test_h11_answers_the_hidden_request_too() -> None:
    with serving_asgi(app, http="h11", log_level="error") as url:
        responses = smuggling.responses_from(url)
    assert [r.body for r in responses] == [
        b"POST /echo got 0 bytes: b''\n",
        b"GET /echo?smuggled=yes got 0 bytes: b''\n",
    ]
    assert responses[0].header("connection") is None  # nothing told the client it would close
