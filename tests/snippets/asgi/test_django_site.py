"""django_site: a one-file Django project whose `application` is an ASGI app, served for real."""

from __future__ import annotations

import sys

import httpx

from onthewire import paths
from onthewire.serving import free_port, running

HERE = paths.SNIPPETS / "asgi"


def test_application_is_djangos_asgi_handler(snippet_output) -> None:
    # Django's settings are process-wide: the snippet runs in a process of its own.
    assert snippet_output("django_site.py") == "application is a django.core.handlers.asgi.ASGIHandler\n"


def test_uvicorn_serves_it_as_asgi_py_would_be_served() -> None:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "django_site:application", "--host", "127.0.0.1", "--port", str(port)]
    with running(command, port=port, cwd=HERE) as server:
        response = httpx.post(f"{server.url}/ada", content=b"Hello")
    assert response.status_code == 200
    assert response.text == "Hello, ada! You sent 5 bytes.\n"
    assert "ASGI 'lifespan' protocol appears unsupported." in server.output()
