"""hello:app, what `wire start wsgi-server` serves when you name no app: plain WSGI, no framework.

    curl -i 'http://127.0.0.1:8080/caf%C3%A9?name=Ada'    a greeting, with a Content-Length
    curl -N http://127.0.0.1:8080/count                   five lines, streamed as they are made
    curl -i --data-binary 'some bytes' http://127.0.0.1:8080/echo    the body, sent back
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qs


def app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
    path = environ["PATH_INFO"]
    if path == "/count":
        start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
        return count(5)  # no Content-Length: the server has to frame the body itself

    if path == "/echo" and environ["REQUEST_METHOD"] == "POST":
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(body)))])
        return [body]

    # PATH_INFO holds bytes as latin-1 characters; this app's URLs are UTF-8, so it decodes them so.
    shown = path.encode("latin-1").decode("utf-8", errors="replace")
    name = parse_qs(environ.get("QUERY_STRING", "")).get("name", ["world"])[0]
    body = f"Hello, {name}! You asked for {shown} with {environ['REQUEST_METHOD']}.\n".encode()
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def count(n: int) -> Iterator[bytes]:
    for i in range(1, n + 1):
        yield f"{i}...\n".encode()
        time.sleep(0.5)  # a slow producer, so that you can watch the lines arrive one by one
    yield b"done\n"
