from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path


def hello(request: HttpRequest, name: str) -> HttpResponse:
    return HttpResponse(f"Hello, {name}, from Django!", content_type="text/plain; charset=utf-8")


def echo(request: HttpRequest) -> JsonResponse:
    return JsonResponse({
        "method": request.method,
        "path": request.path,
        "query": request.GET.dict(),
        "body": request.body.decode(),
        "host": request.get_host(),
        "absolute": request.build_absolute_uri(),
    })


urlpatterns = [path("hello/<str:name>", hello), path("echo", echo)]
