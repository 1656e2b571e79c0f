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
from onthewire.labs.kit import TIMEOUT, fetch, import_file, wait_for_file, why

# dur is written with one decimal: a measured 12.34 ms may read 12.3, or 12.4 for 12.35.
ROUNDING = 0.1


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


def test_measures_until_the_response_starts(serve: ServeFactory, markers: Path) -> None:
    """gives as dur the milliseconds from the call to http.response.start

    Look at: where the clock starts (time.perf_counter() when __call__ begins) and stops (at http.response.start), and the unit: milliseconds
    """
    with serve(app="starlette_app:app") as server:
        started = time.perf_counter()
        reply = ok(fetch(server, "GET", "/slow"), server)
        total_ms = (time.perf_counter() - started) * 1000
    dur = the_metric(reply).dur
    assert dur >= SLOW * 1000 - 1, f"dur={dur:g} for a view that sleeps {SLOW * 1000:g} ms: the clock starts too late, or is not in milliseconds"
    assert dur <= total_ms + ROUNDING, f"dur={dur:g}, but the whole request took {total_ms:.1f} ms seen from the client: is it in milliseconds?"

    with serve(app="raw_app:app") as server:
        sent = time.perf_counter()
        dur = the_metric(ok(fetch(server, "GET", "/late-body"), server)).dur
        started = wait_for_file(markers / "late-body.started")
    assert dur >= BEFORE_START * 1000 - 1, f"dur={dur:g} for an app that takes {BEFORE_START * 1000:g} ms to start its response"
    assert started is not None, "raw_app's /late-body never got past http.response.start"
    # The clock ran inside [the request went out, the app's send(start) returned]: no longer.
    until_start_ms = (float(started) - sent) * 1000
    assert dur <= until_start_ms + ROUNDING, (
        f"dur={dur:g}, but the app's send() of http.response.start had returned {until_start_ms:.1f} ms after the request "
        f"went out (its body came {BEFORE_BODY * 1000:g} ms later): the clock should stop at http.response.start")


def test_times_each_request_on_its_own(serve: ServeFactory, markers: Path) -> None:
    """times each request on its own clock, even while another one runs

    Look at: where the start time lives: one ServerTiming serves every request at once
    """
    slow_ms = 400
    seen_ms: dict[str, float] = {}  # how long each quick request took, seen from the client

    async def timed_get(client: httpx.AsyncClient, path: str, name: str) -> httpx.Response:
        sent = time.perf_counter()
        reply = await client.get(path)
        seen_ms[name] = (time.perf_counter() - sent) * 1000
        return reply

    async def requests(url: str) -> tuple[httpx.Response, httpx.Response, httpx.Response]:
        async with httpx.AsyncClient(base_url=url, timeout=TIMEOUT) as client:
            slow = asyncio.ensure_future(client.get(f"/sleep?ms={slow_ms}&tag=slow"))
            deadline = time.monotonic() + TIMEOUT
            while not (markers / "started-slow").exists() and not slow.done() and time.monotonic() < deadline:
                await asyncio.sleep(0.005)  # a poll interval: the slow request has reached the app
            during = await timed_get(client, "/sleep?ms=0", "during")
            await slow
            after = await timed_get(client, "/sleep?ms=0", "after")
            return await slow, during, after

    with serve(app="raw_app:app") as server:
        try:
            slow, during, after = asyncio.run(requests(server.url))
        except httpx.HTTPError as e:
            raise AssertionError(f"three requests, two at once: no proper answer ({type(e).__name__}){why(server)}") from None
        for reply in (slow, during, after):
            ok(reply, server)
    slow_dur = the_metric(slow).dur
    assert slow_dur >= slow_ms / 10, f"dur={slow_dur:g} for a request of {slow_ms} ms: is it in milliseconds?"
    assert slow_dur >= slow_ms - 1, (
        f"a request of {slow_ms} ms got dur={slow_dur:g}, because a second request began meanwhile: "
        "its start time was overwritten")
    # Each request's clock runs while the client waits for it, never longer.
    for name, reply in [("during", during), ("after", after)]:
        dur = the_metric(reply).dur
        assert dur <= seen_ms[name] + ROUNDING, (
            f"a quick request {'made while a slow one ran' if name == 'during' else 'after a slow one'} got "
            f"dur={dur:g}, but the client had its answer {seen_ms[name]:.1f} ms after asking: its clock started "
            "before the request did")
