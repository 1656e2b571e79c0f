"""Flask and Django are WSGI applications too: call each one with a hand-built environ.

No server runs here. Each framework builds its request object from the environ, routes on
PATH_INFO, runs the view, and hands back status, headers and an iterable of bytes through
the same two-argument call as the smallest hand-written app (PEP 3333).

Run it:  python frameworks.py
Try:     ask for /hello/ada?x=1 or /nowhere; POST a body with make_environ(..., body=b"...").
"""

from __future__ import annotations

import inspect

from snippets.wsgi.by_hand import call, make_environ


# --- A tiny Flask app ----------------------------------------------------------------------

# --8<-- [start:flask]
def make_flask_app():
    from flask import Flask

    app = Flask("tiny")

    @app.get("/hello/<name>")
    def hello(name):
        return {"hello": name}

    return app  # the Flask object itself is the WSGI callable
# --8<-- [end:flask]


# --- A tiny Django project, in one file ----------------------------------------------------

# --8<-- [start:django]
def make_django_app():
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.http import JsonResponse
    from django.urls import path

    def hello(request, name):
        return JsonResponse({"hello": name})

    # Settings are process-wide, configured once: one project per process.
    settings.configure(
        DEBUG=False,
        SECRET_KEY="not-secret-this-is-a-demo",
        ALLOWED_HOSTS=["example.org"],          # checked against HTTP_HOST
        ROOT_URLCONF=__name__,                   # urlpatterns, below
        MIDDLEWARE=[],
    )
    global urlpatterns
    urlpatterns = [path("hello/<str:name>", hello)]
    return get_wsgi_application()  # calls django.setup(), returns a WSGIHandler
# --8<-- [end:django]


urlpatterns: list = []


def returned_iterable(app, environ) -> object:
    """What the app returns, before anyone iterates it (closed again at once)."""
    result = app(environ, lambda status, headers, exc_info=None: None)
    if hasattr(result, "close"):
        result.close()
    return result


if __name__ == "__main__":
    # --8<-- [start:main]
    for name, app in (("Flask", make_flask_app()),
                      ("Django", make_django_app())):
        response = call(app, make_environ("/hello/ada"))
        params = tuple(inspect.signature(app.__call__).parameters)
        print(f"{name}: a {type(app).__name__}, called as __call__{params}")
        print(f"  status   {response.status}")
        print(f"  headers  {response.headers}")
        print(f"  body     {response.body!r}")
        result = returned_iterable(app, make_environ("/hello/ada"))
        closes = hasattr(result, "close")
        print(f"  returns  a {type(result).__name__}, with close(): {closes}")
    # --8<-- [end:main]
