"""To an HTTP/1.0 request for a body of unknown length, h11 answers close-delimited; uvicorn's
httptools parser sends chunked coding, which RFC 9112 §6.1 forbids for an HTTP/1.0 request."""

from __future__ import annotations

from onthewire.serving import serving_asgi
from snippets.http import close_delimited
from snippets.http.demo_app import PIECES, app


def test_h11_sends_no_length_and_closes() -> None:
    with serving_asgi(app, http="h11") as url:
        response = close_delimited.ask(url)
    assert response.framing == "close"
    assert response.header("content-length") is None and response.header("transfer-encoding") is None
    assert response.body == b"".join(PIECES)


def test_httptools_sends_chunked_to_an_http10_client() -> None:
    with serving_asgi(app, http="httptools") as url:
        response = close_delimited.ask(url)
    assert response.framing == "chunked"
    body_seen_by_http10_client = close_delimited.body_as_http10_client_sees_it(response.raw)
    assert body_seen_by_http10_client.startswith(b"14\r\nfirst chunk")
