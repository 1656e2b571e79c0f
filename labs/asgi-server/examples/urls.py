# mysite/urls.py in a project made by `django-admin startproject mysite`, with an async view added.
import asyncio

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import path


async def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"Hello from Django, {request.GET.get('name', 'world')}!\n", content_type="text/plain")


async def count(request: HttpRequest) -> StreamingHttpResponse:
    async def numbers():  # an async iterator: under ASGI, Django streams it without a thread
        for i in range(1, 4):
            yield f"{i}\n"
            await asyncio.sleep(0.5)

    return StreamingHttpResponse(numbers(), content_type="text/plain")


urlpatterns = [path("hello/", hello), path("count/", count), path("admin/", admin.site.urls)]
