"""Django under ASGI: a plain `def` view runs in a thread of its request's own, in parallel.

Django's ASGIHandler opens an asgiref ThreadSensitiveContext around each request (Django 4.0,
ticket #32889). Inside it, every thread-sensitive sync_to_async call of that request (sync
middleware, the view, ORM calls wrapped by you) goes to one thread, made for that request; two
requests at once get two threads. asgiref's WsgiToAsgi opens no such context, so every WSGI
call it makes goes to asgiref's single process-wide thread, one after another.

Here a one-file Django project with a sync middleware and a `def` view is served by uvicorn
twice: as Django's ASGI application, then as its WSGI application inside WsgiToAsgi. Four
clients ask at once. Each view says which thread ran it and its middleware, and counts how many
views are running: it waits at a barrier for the others, so "all at once" is a count, not a
reading of the clock.

Run it:  python django_threads.py
Try:     set REQUESTS to 20: twenty threads, twenty views at once. Take the middleware out
         of MIDDLEWARE (and out of the view's answer): each request still gets its thread.
"""

from __future__ import annotations

import asyncio
import string
import threading

import httpx
from asgiref.wsgi import WsgiToAsgi
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application
from django.http import JsonResponse
from django.urls import path

from onthewire.serving import serving_asgi

REQUESTS = 4
# How long a view waits at the barrier for the others. Views that run together pass it as soon
# as the last one arrives; only views that can never meet (one thread) wait it out, once: after
# that the barrier is broken and the next ones go straight through.
PATIENCE = 3.0


class Overlap:
    """Counts the views running at the same moment; each waits until REQUESTS of them are in."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.barrier = threading.Barrier(REQUESTS, timeout=PATIENCE)

    def __enter__(self) -> None:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            self.barrier.wait()
        except threading.BrokenBarrierError:
            pass  # the others did not come while this view ran: they were not running at once

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.running -= 1


overlap = Overlap()


# --8<-- [start:project]
def thread_name_middleware(get_response):
    """An old-style sync middleware: under ASGI, Django calls it through sync_to_async."""
    def middleware(request):
        request.middleware_thread = threading.current_thread().name
        return get_response(request)
    return middleware


def where(request):  # a plain `def` view: a blocking ORM query would go here
    with overlap:  # counts the views running now, and waits for the other requests' views
        view_thread = threading.current_thread().name
    return JsonResponse({"middleware": request.middleware_thread, "view": view_thread})


settings.configure(
    DEBUG=False,
    SECRET_KEY="not-secret-this-is-a-demo",
    ALLOWED_HOSTS=["127.0.0.1"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[f"{__name__}.thread_name_middleware"],
)
urlpatterns = [path("where", where)]

django_asgi = get_asgi_application()             # what mysite/asgi.py holds
wsgi_in_asgi = WsgiToAsgi(get_wsgi_application())  # mysite/wsgi.py's app, adapted by asgiref
# --8<-- [end:project]


# --8<-- [start:measure]
async def _all_at_once(url: str) -> list[dict[str, str]]:
    limits = httpx.Limits(max_connections=REQUESTS)  # a connection each: nothing queues in httpx
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        responses = await asyncio.gather(*(client.get(f"{url}/where") for _ in range(REQUESTS)))
    return [r.json() for r in responses]


def measure(app: object) -> tuple[list[dict[str, str]], int]:
    """Serve `app` with uvicorn, send REQUESTS requests at once: (each view's answer, most at once)."""
    global overlap
    overlap = Overlap()
    with serving_asgi(app, lifespan="off") as url:  # Django has no lifespan (see above)
        answers = asyncio.run(_all_at_once(url))
    return answers, overlap.most
# --8<-- [end:measure]


def labels(answers: list[dict[str, str]]) -> list[tuple[str, str]]:
    """Thread names become 'thread A', 'thread B'... in order of first appearance: stable output."""
    seen: dict[str, str] = {}

    def label(name: str) -> str:
        return seen.setdefault(name, f"thread {string.ascii_uppercase[len(seen)]}")

    return [(label(a["middleware"]), label(a["view"])) for a in answers]


def report(title: str, app: object) -> None:
    answers, most = measure(app)
    print(f"{title}, {REQUESTS} requests at once to a def view:")
    for i, (middleware, view) in enumerate(labels(answers), 1):
        print(f"  request {i}: sync middleware in {middleware}, view in {view}")
    threads = len({a["view"] for a in answers})
    same = all(a["middleware"] == a["view"] for a in answers)
    print(f"  {threads} thread{'s' * (threads != 1)} ran the {REQUESTS} views, "
          f"at most {most} at once; each view in its middleware's thread: {same}")


if __name__ == "__main__":
    report("Django's ASGI application", django_asgi)
    print()
    report("The same project's WSGI application in asgiref's WsgiToAsgi", wsgi_in_asgi)
