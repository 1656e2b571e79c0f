"""frameworks: Starlette, FastAPI and Django apps speak the same messages as a raw ASGI app."""

from __future__ import annotations

import asyncio
import io

import pytest
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request

from snippets.asgi.frameworks import fastapi_app, lifespan_answer, one_request, raw_with_starlette, starlette_app


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


def test_the_page_output_with_django(snippet_output) -> None:
    # Django's settings are process-wide: the snippet runs in a process of its own.
    out = snippet_output("frameworks.py")
    django = out.split("Django:\n", 1)[1].split("\n\n", 1)[0]
    assert shape(django)[:6] == ["scope http", "receive http.request", "send http.response.start",
                                 "send http.response.body", "receive http.disconnect", "app returned"]
    assert "('Content-Type', 'text/plain')]" in django  # no content-length: uvicorn chunks it
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
