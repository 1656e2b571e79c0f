"""Why losing close() matters: Django finishes each request in its response's close().

Django's WSGI handler returns the response object itself as the body iterable. Its close()
sends the `request_finished` signal, and Django closes the request's database connection
in a receiver of that signal (with the default CONN_MAX_AGE = 0). Serve a view that used
the database directly, behind the leaky generator middleware of close_bug.py, and behind
the fixed one; count the signals and look at the connection after each response.

Run it:  python django_close.py
Try:     set CONN_MAX_AGE to 60 in the settings: now the connection stays open on purpose.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from snippets.wsgi.by_hand import make_environ
from snippets.wsgi.close_bug import shout, shout_leaky
from snippets.wsgi.memory_wire import MemoryWire


# --8<-- [start:django]
def make_django_app(database: Path):
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.http import HttpResponse
    from django.urls import path

    def rows(request):
        # Opens this thread's database connection, if it is not open.
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return HttpResponse(b"1 row\n", content_type="text/plain")

    settings.configure(
        SECRET_KEY="not-secret-this-is-a-demo",
        ALLOWED_HOSTS=["example.org"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3",
                               "NAME": database}},
    )
    global urlpatterns
    urlpatterns = [path("rows", rows)]
    return get_wsgi_application()
# --8<-- [end:django]


urlpatterns: list = []
finished: list[object] = []  # one item each time Django sent request_finished


def on_request_finished(sender, **kwargs):
    finished.append(sender)


def serve_rows(wsgi_app) -> tuple[int, bool]:
    """Serve GET /rows with wsgiref's handler. Returns (how many times request_finished was
    sent, whether the database connection was still open after the response)."""
    from django.core.signals import request_finished
    from django.db import connection

    request_finished.connect(on_request_finished)
    finished.clear()
    MemoryWire(make_environ("/rows")).run(wsgi_app)
    still_open = connection.connection is not None
    connection.close()  # start the next run clean
    return len(finished), still_open


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        django_app = make_django_app(Path(folder) / "db.sqlite3")
        # --8<-- [start:main]
        for name, wsgi_app in (("django_app", django_app),
                               ("shout_leaky(django_app)", shout_leaky(django_app)),
                               ("shout(django_app)", shout(django_app))):
            signals, still_open = serve_rows(wsgi_app)
            print(f"{name}:")
            print(f"  request_finished sent {signals} time(s); "
                  f"connection left open: {still_open}")
        # --8<-- [end:main]
