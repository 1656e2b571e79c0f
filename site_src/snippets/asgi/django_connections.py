"""Where a Django project under ASGI gets its database connections: per request, from Django.

Django has no lifespan to open connections in (frameworks.py), and needs none: it connects at
a request's first query and, with CONN_MAX_AGE = 0 (the default), closes the connection when
the request finishes (the request_finished signal). Connections belong to a thread, and under
ASGI each request's sync code runs in a thread of its own (django_threads.py): so a persistent
connection (CONN_MAX_AGE > 0) is never reused by the next request, it stays open behind a
finished request. That is why Django's docs ask for CONN_MAX_AGE = 0 under ASGI, and a pool
(PostgreSQL, Django 5.1+: OPTIONS {"pool": ...}) for reuse. And a query in AppConfig.ready(),
the old "startup hook", makes Django warn: it runs before apps are ready, for every command.

Run it:  python django_connections.py
Try:     send the requests to `persistent` at once instead of one after another: still one
         new connection each, all left open.
"""

from __future__ import annotations

import asyncio
import tempfile
import warnings
from pathlib import Path

import httpx
from django.apps import AppConfig
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.db import connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.urls import path

from onthewire.serving import serving_asgi

REQUESTS = 3
opened = []  # every database connection Django opened, as it opened it


# --8<-- [start:project]
class QueryAtStartup(AppConfig):
    """The tempting place for startup work: Django's docs warn against queries here."""
    name = __name__
    label = "demo"

    def ready(self):
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")


def query(request, alias):  # a plain `def` view: its query runs in this request's thread
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok")


folder = tempfile.TemporaryDirectory(prefix="onthewire-")  # removed when the process exits
database = str(Path(folder.name) / "db.sqlite3")
settings.configure(
    SECRET_KEY="not-secret-this-is-a-demo",
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[f"{__name__}.QueryAtStartup"],
    DATABASES={
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": database},  # CONN_MAX_AGE 0
        "persistent": {"ENGINE": "django.db.backends.sqlite3", "NAME": database, "CONN_MAX_AGE": 60},
    },
)
urlpatterns = [path("<str:alias>", query)]


def count(sender, connection, **kwargs):
    opened.append(connection)  # Django's signal when it opens a database connection


connection_created.connect(count)
# --8<-- [end:project]


def start() -> tuple[object, list[str]]:
    """Set Django up as asgi.py would; return the application and the warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        application = get_asgi_application()  # django.setup(): AppConfig.ready() runs here
    return application, [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]


# --8<-- [start:measure]
async def one_after_another(url: str, alias: str) -> None:
    async with httpx.AsyncClient() as client:
        for _ in range(REQUESTS):
            assert (await client.get(f"{url}/{alias}")).text == "ok"


def connections_for(application: object, alias: str) -> tuple[int, int]:
    """REQUESTS requests, one after another, to a view that queries `alias`:
    (connections Django opened for them, how many of those are still open afterwards)."""
    opened.clear()
    with serving_asgi(application, lifespan="off") as url:
        asyncio.run(one_after_another(url, alias))
    return len(opened), sum(c.connection is not None for c in opened)
# --8<-- [end:measure]


if __name__ == "__main__":
    application, startup_warnings = start()
    print("Setting Django up ran AppConfig.ready(), whose query made Django warn:")
    for message in startup_warnings:
        print(f"  RuntimeWarning: {message}")
    print()
    for alias in ("default", "persistent"):
        age = settings.DATABASES[alias].get("CONN_MAX_AGE", 0)
        made, still_open = connections_for(application, alias)
        print(f"CONN_MAX_AGE={age}: {REQUESTS} requests one after another, {made} connections opened, "
              f"{still_open} still open after the requests")
