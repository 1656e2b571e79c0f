"""frameworks: Flask and Django apps are plain WSGI callables."""

from __future__ import annotations

import json

from snippets.wsgi.by_hand import call, make_environ
from snippets.wsgi.frameworks import make_flask_app


def test_flask_is_called_like_any_wsgi_app() -> None:
    response = call(make_flask_app(), make_environ("/hello/ada"))
    assert response.status == "200 OK"
    assert json.loads(response.body) == {"hello": "ada"}
    assert call(make_flask_app(), make_environ("/nowhere")).status == "404 NOT FOUND"


def test_both_frameworks_answer_the_hand_built_environ(snippet_output) -> None:
    # Django's settings are process-wide: the snippet runs in a process of its own.
    out = snippet_output("frameworks.py")
    assert "Flask: a Flask, called as __call__('environ', 'start_response')" in out
    assert "Django: a WSGIHandler, called as __call__('environ', 'start_response')" in out
    assert out.count("status   200 OK") == 2
    assert "body     b'{\"hello\": \"ada\"}'" in out  # Django's JSON
    assert "returns  a JsonResponse, with close(): True" in out


def test_flask_builds_urls_under_script_name() -> None:
    from flask import url_for

    app = make_flask_app()

    @app.get("/where")
    def where():
        return url_for("hello", name="ada")

    mounted = make_environ("/where")
    mounted["SCRIPT_NAME"] = "/app"
    assert call(app, mounted).body == b"/app/hello/ada"
    assert call(app, make_environ("/where")).body == b"/hello/ada"
