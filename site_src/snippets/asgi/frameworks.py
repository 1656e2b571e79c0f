"""Under a framework, the same messages: Starlette, FastAPI and Django, traced.

Each app below answers POST /ada with a greeting and the size of the body. Each is an ASGI 3
callable: uvicorn serves it wrapped in the course's tracer, and httpx sends it the same
request. Starlette's Request is a view of the scope and of receive(); its Response is itself
an ASGI app that sends http.response.start and http.response.body. FastAPI is Starlette
underneath. Django's ASGIHandler reads the whole body before the view runs.

Run it:  python frameworks.py
Try:     make Starlette's endpoint stream (StreamingResponse) and compare its messages with
         streaming.py's.
"""

from __future__ import annotations

import io
import socket
import sys
from typing import TextIO

import httpx
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from onthewire.serving import serving_asgi
from onthewire.trace import traced


# --8<-- [start:raw]
async def raw_with_starlette(scope, receive, send):
    """A raw ASGI app that uses Starlette's Request and Response, and no routing."""
    if scope["type"] != "http":
        return
    request = Request(scope, receive)  # reads the scope; calls receive() for the body
    body = await request.body()
    name = request.url.path.strip("/")
    response = PlainTextResponse(f"Hello, {name}! You sent {len(body)} bytes.\n")
    await response(scope, receive, send)  # a Response is an ASGI app: it calls send()
# --8<-- [end:raw]


# --8<-- [start:starlette]
async def hello(request: Request) -> PlainTextResponse:
    body = await request.body()
    return PlainTextResponse(f"Hello, {request.path_params['name']}! You sent {len(body)} bytes.\n")

starlette_app = Starlette(routes=[Route("/{name}", hello, methods=["POST"])])
# --8<-- [end:starlette]


# --8<-- [start:fastapi]
fastapi_app = FastAPI()

@fastapi_app.post("/{name}")
async def fastapi_hello(name: str, request: Request) -> dict:
    return {"hello": name, "bytes": len(await request.body())}  # sent as JSON
# --8<-- [end:fastapi]


def django_app():
    """Django's ASGI application (django_site.py): imported late, it configures Django."""
    from snippets.asgi.django_site import application
    return application


def apps() -> dict[str, object]:
    return {"raw ASGI + Starlette's Request and Response": raw_with_starlette,
            "Starlette": starlette_app, "FastAPI": fastapi_app, "Django": django_app()}


# --8<-- [start:one]
def one_request(app, out: TextIO = sys.stdout) -> httpx.Response:
    """Serve `app` traced, without lifespan, and POST it one body."""
    with serving_asgi(traced(app, out, stable=True, brief=True), lifespan="off") as url:
        return httpx.post(f"{url}/ada", content=b"Hello, ASGI!")
# --8<-- [end:one]


# --8<-- [start:wire]
def head_on_the_wire(app: object, http: str) -> list[str]:
    """Serve `app` with uvicorn's `--http` protocol `http`; the header names of its response
    head, as they came off the socket (values left out: the date changes)."""
    with serving_asgi(app, lifespan="off", http=http) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(b"POST /ada HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nHello")
            head = b""
            while b"\r\n\r\n" not in head:
                head += sock.recv(4096)
    lines = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")[1:]
    return [line.split(":", 1)[0] for line in lines]
# --8<-- [end:wire]


def lifespan_answer(app) -> str:
    """What `app` does when a server starts it up: the trace of its lifespan call."""
    trace = io.StringIO()
    with serving_asgi(traced(app, trace, stable=True, brief=True), lifespan="auto"):
        pass
    answer = next(line for line in trace.getvalue().splitlines() if line.split()[1] in ("send", "app"))
    return answer.split(None, 2)[2]


if __name__ == "__main__":
    for name, app in apps().items():
        print(f"{name}:")
        response = one_request(app)
        print(f"{'client':<8} {'got':<7} {response.status_code} {response.content!r}")
        print()
    print("Django's response head on the wire, header names as uvicorn wrote them:")
    for http in ("httptools", "h11"):
        print(f"  {'--http ' + http + ':':18} {', '.join(head_on_the_wire(django_app(), http))}")
    print()
    print("Started by a server, each answers lifespan.startup with:")
    for name, app in apps().items():
        print(f"  {name + ':':46} {lifespan_answer(app)}")
