"""Step 3: the app reports what its scope says: the HTTP version ALPN led to, and the scheme."""

from __future__ import annotations

from onthewire.labs.kit import fail
from tls_checks import get


def test_app_sees_http2(server, record_property) -> None:
    """httpx with http2=True speaks HTTP/2, and the app's scope says http_version "2", scheme "https"

    Look at: protocol() in app.py: answer with request.scope["http_version"] and request.scope["scheme"].
    """
    spoken, answer = get(server, http2=True)
    record_property("measured", f"httpx spoke {spoken}; the app answered {answer}")
    if spoken != "HTTP/2":
        fail(f"httpx offered h2 and spoke {spoken}")
    if answer != {"http_version": "2", "scheme": "https"}:
        fail(f'the app answered {answer}, not {{"http_version": "2", "scheme": "https"}}')


def test_app_sees_http11(server) -> None:
    """a client that offers only http/1.1 speaks HTTP/1.1, and the app's scope says http_version "1.1"

    Look at: protocol() in app.py: the value comes from the scope, not from a constant.
    """
    spoken, answer = get(server, http2=False)
    if spoken != "HTTP/1.1":
        fail(f"httpx offered only http/1.1 and spoke {spoken}")
    if answer != {"http_version": "1.1", "scheme": "https"}:
        fail(f'the app answered {answer}, not {{"http_version": "1.1", "scheme": "https"}}')
