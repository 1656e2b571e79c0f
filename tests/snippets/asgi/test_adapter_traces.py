"""adapter_traces: what a2wsgi's two adapters turn into what, seen from both sides."""

from __future__ import annotations

from snippets.asgi.adapter_traces import asgi_under_wsgi, both_sides, wsgi_under_asgi


def test_wsgi_under_asgi_reads_the_body_only_if_the_wsgi_app_does() -> None:
    outside, inside, answer = both_sides(wsgi_under_asgi)
    assert answer == "Hello, ada!\n"
    assert "receive" not in outside  # the WSGI app never read wsgi.input
    assert "WSGI #1  environ        POST /ada" in inside
    assert "start_response '200 OK'" in inside
    # the response's headers, with names as the WSGI app wrote them, go out in lower case
    assert "('content-type', 'text/plain; charset=utf-8')" in outside


def test_asgi_under_wsgi_builds_a_scope_and_body_from_the_environ() -> None:
    outside, inside, answer = both_sides(asgi_under_wsgi)
    assert answer == "Hello, ada! You sent 5 bytes.\n"
    assert "ASGI #1  scope   http POST /ada  (no client address)" in inside
    assert "ASGI #1  receive http.request body=b'Hello' more_body=False" in inside
    assert "wsgi.input     read(5) -> b'Hello'" in outside
    assert "lifespan" not in inside  # a WSGI server has no lifespan to run


def test_wsgiref_gives_no_remote_port_so_the_scope_has_no_client() -> None:
    import httpx

    from onthewire.serving import serving_wsgi

    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        start_response("204 No Content", [])
        return []

    with serving_wsgi(app) as url:
        httpx.get(url)
    assert "REMOTE_ADDR" in seen and "REMOTE_PORT" not in seen
