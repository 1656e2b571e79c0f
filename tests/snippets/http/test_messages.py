"""Field names are case-insensitive; spaces around a value are not part of it (RFC 9112 §5),
which h11 honours and uvicorn's httptools parser does not for trailing spaces."""

from __future__ import annotations

import pytest
import uvicorn

from onthewire.serving import serving_asgi
from snippets.http import messages
from snippets.http.demo_app import app


@pytest.fixture(scope="module")
def responses() -> dict[str, object]:
    out = {}
    for parser in ("httptools", "h11"):
        with serving_asgi(app, http=parser) as url:
            out[parser] = messages.ask(url)
    return out


@pytest.mark.parametrize("parser", ["httptools", "h11"])
def test_the_app_gets_lowercase_names_and_both_accept_fields(responses, parser: str) -> None:
    fields = messages.fields_seen_by_app(responses[parser])
    assert [name for name, _ in fields] == ["host", "user-agent", "x-course", "accept", "accept", "connection"]
    assert [value for name, value in fields if name == "accept"] == ["text/plain", "text/html"]


def test_trailing_spaces_reach_the_app_with_httptools_only(responses) -> None:
    assert dict(messages.fields_seen_by_app(responses["h11"]))["x-course"] == "on the wire"
    assert dict(messages.fields_seen_by_app(responses["httptools"]))["x-course"] == "on the wire   "


def test_response_fields_are_found_whatever_the_case(responses) -> None:
    response = responses["httptools"]
    assert (response.version, response.status, response.reason) == ("HTTP/1.1", 200, "OK")
    assert response.header("Content-Length") == response.header("content-length") == str(len(response.body))


def test_h11_keeps_the_spelling_but_matches_on_lowercase() -> None:
    event = messages.h11_request(messages.REQUEST)
    assert [n for n, _ in event.headers.raw_items()][:2] == [b"hOsT", b"User-Agent"]
    assert [n for n, _ in event.headers][:2] == [b"host", b"user-agent"]
    assert dict(event.headers)[b"x-course"] == b"on the wire"
    assert event.target == b"/headers?lang=en"


def test_plain_uvicorn_here_uses_httptools() -> None:
    config = uvicorn.Config(app)
    config.load()
    assert config.http_protocol_class.__module__ == "uvicorn.protocols.http.httptools_impl"
