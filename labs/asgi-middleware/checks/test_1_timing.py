"""Step 1: time the request and add the Server-Timing header to http.response.start."""

from __future__ import annotations

import asyncio
import inspect
import time
from pathlib import Path

import httpx
from starlette.middleware.base import BaseHTTPMiddleware

from apps.expected import BEFORE_BODY, BEFORE_START, SLOW
from mw_checks import metrics, ok, the_metric
from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import TIMEOUT, fetch, import_file, why


def test_serves_the_demo(serve: ServeFactory) -> None:
    """serves demo:app, as `wire start asgi-middleware` does

    Look at: ServerTiming.__call__ in timing.py: does every request still reach the app? And demo.py: did an edit break it?
    """
    with serve() as server:
        reply = ok(fetch(server, "GET", "/"), server)
    assert reply.text == "Hello from the demo!\n", f"GET / answered {reply.text[:80]!r}"


def test_is_pure_asgi(code_dir: Path) -> None:
    """is pure ASGI middleware: a class of its own, not a framework's BaseHTTPMiddleware

    Look at: class ServerTiming: no base class; __init__(self, app) and async def __call__(self, scope, receive, send)
    """
    ServerTiming = import_file(code_dir / "timing.py").ServerTiming
    assert not issubclass(ServerTiming, BaseHTTPMiddleware), "ServerTiming is a BaseHTTPMiddleware: this lab is about the layer below it"
    assert inspect.iscoroutinefunction(ServerTiming.__call__), "ServerTiming.__call__ should be an async def taking scope, receive, send"


def test_adds_a_server_timing_header(serve: ServeFactory) -> None:
    """adds a well-formed Server-Timing header with one metric, app;dur=MILLISECONDS

    Look at: the send you hand the app in ServerTiming.__call__, and what it does with http.response.start
    """
    with serve(app="starlette_app:app") as server:
        reply = ok(fetch(server, "GET", "/slow"), server)
    assert reply.text == "slow\n", f"GET /slow answered {reply.text[:80]!r}: is the body passed on?"
    metrics(reply)  # every metric of every Server-Timing field parses, or the check fails here
    dur = the_metric(reply).dur
    assert dur >= 0, f"dur={dur:g}: a duration is never negative"


def test_measures_until_the_response_starts(serve: ServeFactory) -> None:
    """gives as dur the milliseconds from the call to http.response.start

    Look at: where the clock starts (time.perf_counter() when __call__ begins) and stops (at http.response.start), and the unit: milliseconds
    """
    with serve(app="starlette_app:app") as server:
        started = time.perf_counter()
        reply = ok(fetch(server, "GET", "/slow"), server)
        total_ms = (time.perf_counter() - started) * 1000
    dur = the_metric(reply).dur
    assert dur >= SLOW * 1000 - 1, f"dur={dur:g} for a view that sleeps {SLOW * 1000:g} ms: the clock starts too late, or is not in milliseconds"
    assert dur <= total_ms + 1, f"dur={dur:g}, but the whole request took {total_ms:.1f} ms seen from the client: is it in milliseconds?"

    with serve(app="raw_app:app") as server:
        dur = the_metric(ok(fetch(server, "GET", "/late-body"), server)).dur
    assert dur >= BEFORE_START * 1000 - 1, f"dur={dur:g} for an app that takes {BEFORE_START * 1000:g} ms to start its response"
    assert dur < (BEFORE_START + BEFORE_BODY) * 1000 - 50, (
        f"dur={dur:g} for an app that starts its response after {BEFORE_START * 1000:g} ms and sends the body "
        f"{BEFORE_BODY * 1000:g} ms later: the clock should stop at http.response.start")


def test_times_each_request_on_its_own(serve: ServeFactory, markers: Path) -> None:
    """times each request on its own clock, even while another one runs

    Look at: where the start time lives: one ServerTiming serves every request at once
    """
    slow_ms = 400

    async def two_requests(url: str) -> tuple[httpx.Response, httpx.Response]:
        async with httpx.AsyncClient(base_url=url, timeout=TIMEOUT) as client:
            slow = asyncio.ensure_future(client.get(f"/sleep?ms={slow_ms}&tag=slow"))
            deadline = time.monotonic() + TIMEOUT
            while not (markers / "started-slow").exists() and not slow.done() and time.monotonic() < deadline:
                await asyncio.sleep(0.005)  # a poll interval: the slow request has reached the app
            quick = await client.get("/sleep?ms=0")
            return await slow, quick

    with serve(app="raw_app:app") as server:
        try:
            slow, quick = asyncio.run(two_requests(server.url))
        except httpx.HTTPError as e:
            raise AssertionError(f"two requests at once: no proper answer ({type(e).__name__}){why(server)}") from None
        ok(slow, server)
        ok(quick, server)
    slow_dur, quick_dur = the_metric(slow).dur, the_metric(quick).dur
    assert slow_dur >= slow_ms / 10, f"dur={slow_dur:g} for a request of {slow_ms} ms: is it in milliseconds?"
    assert slow_dur >= slow_ms - 1, (
        f"a request of {slow_ms} ms got dur={slow_dur:g}, because a second request began meanwhile: "
        "its start time was overwritten")
    assert quick_dur < slow_ms / 2, f"a request that took no time got dur={quick_dur:g} while a slow one ran"
