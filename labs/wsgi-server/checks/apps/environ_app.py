"""Shows the app's view of a request as JSON: the environ the server built, and the body.

Every path answers with the environ's CGI keys (the ones without a dot, which PEP 3333 says
must be str) and a summary of its wsgi.* keys. Paths under /read/ also read the body:

    /read/length   read(CONTENT_LENGTH), the usual way
    /read/all      read() with no size: the server must end the stream at the body's end
    /read/lines    iterate over wsgi.input, line by line
    /read/some     read(5) only: the server must skip the rest before the next request
    /read/more     read(100), more than the checks send: the stream must stop at the body's end
    /read/none     don't read at all
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from typing import Any


NOT_AN_APP = "a str, where the server wants a callable"  # APP=environ_app:NOT_AN_APP must be refused


def describe(environ: dict[str, Any]) -> dict[str, Any]:
    cgi = {}
    for key, value in environ.items():
        if "." not in key:
            cgi[key] = value if isinstance(value, str) else f"<not a str: {value!r}>"
    stream = environ.get("wsgi.input")
    wsgi = {
        "version": environ.get("wsgi.version", "<missing>"),
        "url_scheme": environ.get("wsgi.url_scheme", "<missing>"),
        "errors is sys.stderr": environ.get("wsgi.errors") is sys.stderr,
        "multithread": environ.get("wsgi.multithread", "<missing>"),
        "multiprocess": environ.get("wsgi.multiprocess", "<missing>"),
        "run_once": environ.get("wsgi.run_once", "<missing>"),
        "input methods": [name for name in ("read", "readline", "readlines", "__iter__") if hasattr(stream, name)],
    }
    return {"cgi": cgi, "wsgi": {k: v if isinstance(v, (bool, str, list)) else repr(v) for k, v in wsgi.items()}}


def read_body(environ: dict[str, Any], how: str) -> list[str]:
    stream = environ["wsgi.input"]
    if how == "length":
        return [stream.read(int(environ.get("CONTENT_LENGTH") or 0)).decode("latin-1")]
    if how == "all":
        return [stream.read().decode("latin-1")]
    if how == "lines":
        return [line.decode("latin-1") for line in stream]
    if how == "some":
        return [stream.read(5).decode("latin-1")]
    if how == "more":
        return [stream.read(100).decode("latin-1")]
    return []


def app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
    report = describe(environ)
    path = environ.get("PATH_INFO", "")
    if path.startswith("/read/"):
        report["body"] = read_body(environ, path[len("/read/"):])
    body = json.dumps(report).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
