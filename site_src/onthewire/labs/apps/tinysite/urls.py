from __future__ import annotations

import asyncio

from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import path


async def hello(request: HttpRequest, name: str) -> HttpResponse:
    return HttpResponse(f"Hello, {name}, from Django!", content_type="text/plain; charset=utf-8")


def echo(request: HttpRequest) -> JsonResponse:  # a sync view: Django runs it in a thread
    return JsonResponse({
        "method": request.method,
        "path": request.path,
        "query": request.GET.dict(),
        "body": request.body.decode(),
        "host": request.get_host(),
        "absolute": request.build_absolute_uri(),
        "remote": request.META.get("REMOTE_ADDR"),
    })


async def stream(request: HttpRequest) -> StreamingHttpResponse:
    async def lines():  # type: ignore[no-untyped-def]
        for i in range(3):
            yield f"line {i}\n"
            await asyncio.sleep(0)

    return StreamingHttpResponse(lines(), content_type="text/plain")


urlpatterns = [path("hello/<str:name>", hello), path("echo", echo), path("stream", stream)]
