# mysite/urls.py in a project made by `django-admin startproject mysite`, with a view added.
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"Hello from Django, {request.GET.get('name', 'world')}!\n", content_type="text/plain")


urlpatterns = [path("hello/", hello), path("admin/", admin.site.urls)]
