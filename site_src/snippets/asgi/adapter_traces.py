"""What an adapter does, traced on both sides: ASGI messages outside, WSGI calls inside, and
the other way round.

WSGI under ASGI: uvicorn serves a2wsgi's WSGIMiddleware, which turns the scope and the
http.request messages into an environ (the body becomes wsgi.input) and start_response() and
the body's items into http.response.* messages. ASGI under WSGI: wsgiref serves a2wsgi's
ASGIMiddleware, which runs the ASGI app on an event loop in another thread and builds a
scope from the environ. Each side gets its own tracer, writing to a stream of its own: the two sides run in different
threads, so their lines would interleave differently from run to run.

Run it:  python adapter_traces.py
Try:     put asgiref's WsgiToAsgi in place of WSGIMiddleware: same messages, different
         thread (see adapters.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import sys
import threading
from collections.abc import Iterator
from typing import TextIO

import httpx
from a2wsgi import ASGIMiddleware, WSGIMiddleware

from onthewire.serving import serving_asgi, serving_wsgi
from onthewire.trace import traced, traced_wsgi
from snippets.asgi.by_hand import app as asgi_app
from snippets.wsgi.by_hand import app as wsgi_app


# --8<-- [start:wsgi_under_asgi]
def wsgi_under_asgi(outside: TextIO = sys.stdout, inside: TextIO = sys.stdout) -> str:
    """uvicorn -> [ASGI tracer] -> WSGIMiddleware -> [WSGI tracer] -> a WSGI app."""
    inner = traced_wsgi(wsgi_app, inside, stable=True, brief=True, name="WSGI ")
    adapter = WSGIMiddleware(inner)
    try:
        with serving_asgi(traced(adapter, outside, stable=True, brief=True, name="ASGI "), lifespan="off") as url:
            return httpx.post(f"{url}/ada", content=b"Hello").text
    finally:
        adapter.executor.shutdown()  # its threads, once the server is gone
# --8<-- [end:wsgi_under_asgi]


@contextlib.contextmanager
def _loop_in_a_thread() -> Iterator[asyncio.AbstractEventLoop]:
    """An event loop for ASGIMiddleware that we stop ourselves (its own one runs for ever)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield loop
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()


# --8<-- [start:asgi_under_wsgi]
def asgi_under_wsgi(outside: TextIO = sys.stdout, inside: TextIO = sys.stdout) -> str:
    """wsgiref -> [WSGI tracer] -> ASGIMiddleware -> [ASGI tracer] -> an ASGI app."""
    inner = traced(asgi_app, inside, stable=True, brief=True, name="ASGI ")
    with _loop_in_a_thread() as loop:
        adapter = ASGIMiddleware(inner, loop=loop)
        with serving_wsgi(traced_wsgi(adapter, outside, stable=True, brief=True, name="WSGI ")) as url:
            return httpx.post(f"{url}/ada", content=b"Hello").text
# --8<-- [end:asgi_under_wsgi]


def both_sides(adapt) -> tuple[str, str, str]:
    """(the outer trace, the inner trace, the answer) of one request through `adapt`."""
    outside, inside = io.StringIO(), io.StringIO()
    answer = adapt(outside, inside)
    return outside.getvalue(), inside.getvalue(), answer


if __name__ == "__main__":
    outside, inside, answer = both_sides(wsgi_under_asgi)
    print("A WSGI app under uvicorn, through a2wsgi.WSGIMiddleware. Between uvicorn and the adapter:")
    print(outside, end="")
    print("Between the adapter and the WSGI app:")
    print(inside, end="")
    print(f"client   got {answer!r}")
    print()
    outside, inside, answer = both_sides(asgi_under_wsgi)
    print("An ASGI app under wsgiref, through a2wsgi.ASGIMiddleware. Between wsgiref and the adapter:")
    print(outside, end="")
    print("Between the adapter and the ASGI app:")
    print(inside, end="")
    print(f"client   got {answer!r}")
