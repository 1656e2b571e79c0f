"""adapters: under uvicorn, asgiref's WsgiToAsgi runs a WSGI app's requests one at a time in one
thread; a2wsgi's WSGIMiddleware runs them in its thread pool at once. The claims rest on counts
made inside the views; time only bounds the serial run from below."""

from __future__ import annotations

from snippets.asgi.adapters import CLIENTS, VIEW_SECONDS, measure


def test_wsgitoasgi_serialises_in_one_thread() -> None:
    seconds, threads, most = measure("asgiref_app")
    assert (threads, most) == (1, 1)
    assert seconds >= CLIENTS * VIEW_SECONDS  # one view after another: never faster than that


def test_a2wsgi_runs_the_views_at_once_in_several_threads() -> None:
    seconds, threads, most = measure("a2wsgi_app")
    assert most > 1 and threads > 1
    assert most <= threads <= CLIENTS
    assert seconds >= VIEW_SECONDS


def test_a2wsgi_has_a_pool_of_10_threads_by_default() -> None:
    from snippets.asgi.adapters import a2wsgi_app

    assert a2wsgi_app.executor._max_workers == 10

