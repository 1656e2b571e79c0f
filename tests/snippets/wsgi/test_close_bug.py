"""close_bug: a generator middleware loses the app's close(); try/finally restores it."""

from __future__ import annotations

from snippets.wsgi import close_bug as snippet
from snippets.wsgi.by_hand import make_environ


def test_the_leaky_middleware_never_closes_the_apps_body() -> None:
    sent, closed = snippet.run(snippet.shout_leaky(snippet.app))
    assert sent.endswith(b"HELLO, WORLD\n")
    assert closed == []


def test_the_fixed_middleware_closes_it_and_so_does_the_bare_app() -> None:
    assert snippet.run(snippet.shout(snippet.app))[1] == ["the app's body"]
    assert snippet.run(snippet.app)[1] == ["the app's body"]


def test_the_fixed_middleware_closes_it_when_the_server_stops_early() -> None:
    snippet.closed.clear()
    body = snippet.shout(snippet.app)(make_environ(), lambda status, headers, exc_info=None: None)
    assert next(body) == b"HELLO, "
    body.close()  # what a server does when the client has gone
    assert snippet.closed == ["the app's body"]


def test_a_generator_app_hides_the_bug_on_cpython() -> None:
    finished = []

    def generator_app(environ, start_response):
        start_response("200 OK", [])
        try:
            yield b"a"
            yield b"b"
        finally:
            finished.append(True)

    body = snippet.shout_leaky(generator_app)(make_environ(), lambda *args: None)
    next(body)
    body.close()
    # Nobody called the inner generator's close(); CPython finalised it when the outer
    # generator dropped its last reference, which ran its finally: block.
    assert finished == [True]
