"""frameworks: Starlette, FastAPI and Django apps speak the same messages as a raw ASGI app."""

from __future__ import annotations

import asyncio
import io
import re

import pytest
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request

from onthewire.site import runs
from snippets.asgi.frameworks import (fastapi_app, head_on_the_wire, lifespan_answer, one_request,
                                     raw_with_starlette, starlette_app)


def shape(trace: str) -> list[str]:
    """The kinds of event in a trace: 'scope http', 'receive http.request', ..."""
    return [" ".join(line.split()[1:3]) for line in trace.splitlines()]


@pytest.mark.parametrize("app", [raw_with_starlette, starlette_app, fastapi_app], ids=["raw", "starlette", "fastapi"])
def test_under_the_framework_the_same_messages(app) -> None:
    trace = io.StringIO()
    response = one_request(app, trace)
    assert response.status_code == 200
    assert shape(trace.getvalue()) == ["scope http", "receive http.request", "send http.response.start",
                                       "send http.response.body", "app returned"]


def test_starlette_and_fastapi_complete_their_startup_and_a_raw_app_just_returns() -> None:
    assert lifespan_answer(starlette_app) == "lifespan.startup.complete"
    assert lifespan_answer(fastapi_app) == "lifespan.startup.complete"
    assert lifespan_answer(raw_with_starlette) == "returned"


@pytest.fixture(scope="module")
def page_output() -> str:
    # Django's settings are process-wide: the snippet runs in a process of its own, once.
    return runs.run("asgi/frameworks.py")


def test_the_page_output_with_django(page_output: str) -> None:
    out = page_output
    django = out.split("Django:\n", 1)[1].split("\n\n", 1)[0]
    assert shape(django)[:6] == ["scope http", "receive http.request", "send http.response.start",
                                 "send http.response.body", "receive http.disconnect", "app returned"]
    assert "('Content-Type', 'text/plain')]" in django  # no content-length: uvicorn chunks it
    # The page: Django's http.response.start breaks the spec's "Header names must be lowercased".
    start = next(line for line in django.splitlines() if "http.response.start" in line)
    names = re.findall(r"\('([^']+)', '", start)
    assert names and any(name != name.lower() for name in names)
    assert "Django: raised ValueError: Django can only handle ASGI/HTTP connections, not lifespan." in " ".join(out.split())


def test_fastapi_is_starlette_underneath() -> None:
    assert issubclass(FastAPI, Starlette)


def test_request_body_reads_receive_until_the_end_and_keeps_it() -> None:
    messages = [{"type": "http.request", "body": b"Hello, ", "more_body": True},
                {"type": "http.request", "body": b"ASGI", "more_body": False}]
    calls = []

    async def receive() -> dict:
        calls.append(1)
        return messages.pop(0)

    async def twice() -> tuple[bytes, bytes]:
        request = Request({"type": "http", "method": "POST", "path": "/", "headers": []}, receive)
        return await request.body(), await request.body()

    assert asyncio.run(twice()) == (b"Hello, ASGI", b"Hello, ASGI")
    assert len(calls) == 2  # the second body() did not call receive() again


def test_the_page_output_on_the_wire(page_output: str) -> None:
    out = page_output
    assert "--http httptools:  date, server, content-type, transfer-encoding\n" in out
    assert "--http h11:        date, server, Content-Type, Transfer-Encoding\n" in out


async def capitalised(scope, receive, send) -> None:
    """An app that breaks the spec's rule as Django does: a capitalised header name."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"Content-Type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"hi"})


def test_httptools_lower_cases_the_names_an_app_sends_and_h11_keeps_them() -> None:
    assert "content-type" in head_on_the_wire(capitalised, "httptools")
    assert "Content-Type" in head_on_the_wire(capitalised, "h11")
