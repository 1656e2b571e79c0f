"""adapters: under uvicorn, asgiref's WsgiToAsgi runs a WSGI app's requests one at a time in one
thread; a2wsgi's WSGIMiddleware runs them in its thread pool at once."""

from __future__ import annotations

from snippets.asgi.adapters import CLIENTS, VIEW_SECONDS, measure


def test_wsgitoasgi_serialises_and_a2wsgi_does_not() -> None:
    asgiref_seconds, asgiref_threads = measure("asgiref_app")
    a2wsgi_seconds, a2wsgi_threads = measure("a2wsgi_app")
    assert asgiref_threads == 1 and a2wsgi_threads == CLIENTS
    assert asgiref_seconds >= CLIENTS * VIEW_SECONDS
    assert a2wsgi_seconds < 2 * VIEW_SECONDS
    assert asgiref_seconds / a2wsgi_seconds > CLIENTS / 2


def test_a2wsgi_has_a_pool_of_10_threads_by_default() -> None:
    from snippets.asgi.adapters import a2wsgi_app

    assert a2wsgi_app.executor._max_workers == 10
