"""A Django project in one file, served over ASGI: settings, one URL, one async view.

`django-admin startproject` writes settings.py, urls.py and asgi.py; here the three fit in
a few lines. asgi.py's whole job is `application = get_asgi_application()`: set up Django,
return its ASGIHandler, an ASGI 3 app like any other. Any ASGI server can serve it:

Run it:  uvicorn django_site:application      (from this folder)
Try:     make `hello` a plain `def` view: Django runs it in a thread (sync_to_async).
"""

from __future__ import annotations

# --8<-- [start:site]
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.http import HttpResponse
from django.urls import path


async def hello(request, name):
    return HttpResponse(f"Hello, {name}! You sent {len(request.body)} bytes.\n",
                        content_type="text/plain")


settings.configure(
    DEBUG=False,
    SECRET_KEY="not-secret-this-is-a-demo",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,  # urlpatterns, below
    MIDDLEWARE=[],
)
urlpatterns = [path("<str:name>", hello)]
application = get_asgi_application()  # what mysite/asgi.py holds
# --8<-- [end:site]


if __name__ == "__main__":
    print(f"application is a {type(application).__module__}.{type(application).__name__}")
