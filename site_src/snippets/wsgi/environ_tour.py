"""What a real server puts in environ: send requests to wsgiref, print what the app saw.

The first request is a POST with a query string, a JSON body and custom headers. Watch where
each part lands: the request line and the Content-* headers become CGI variables, every other
header becomes an HTTP_* key, and the body waits in wsgi.input (PEP 3333, "environ Variables").

Run it:  python environ_tour.py
Try:     add a header of your own; send a GET without a body and look at CONTENT_TYPE.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import httpx

from onthewire.serving import serving_wsgi

seen: list[dict[str, Any]] = []  # one environ per request, as the app saw it


# --- The app: record the environ and read the body -----------------------------------------

# --8<-- [start:app]
def app(environ, start_response):
    # CONTENT_LENGTH is a str, and may be missing or "": read exactly that many bytes.
    # read() with no size would wait for the client to close its side (read_too_much.py).
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length)
    seen.append({**environ, "body read": body})
    start_response("204 No Content", [])
    return []
# --8<-- [end:app]


def send_requests() -> tuple[dict[str, Any], dict[str, Any]]:
    """Serve `app` with wsgiref, send it two requests, return the two environs it saw."""
    seen.clear()
    with serving_wsgi(app) as url:
        # --8<-- [start:request]
        httpx.post(
            f"{url}/search?q=wsgi&page=2",
            content=b'{"draft": true}',
            headers={"Content-Type": "application/json", "User-Agent": "course-client",
                     "X-Request-Id": "42", "Accept-Encoding": "gzip"},
        )
        # --8<-- [end:request]
        # A header name becomes a key by upper-casing it and turning "-" into "_": two
        # different names can land on the same key, and wsgiref joins their values.
        # --8<-- [start:underscore]
        httpx.get(url, headers=[("X-User", "alice"), ("X_User", "mallory")])
        # --8<-- [end:underscore]
    first, second = seen
    return first, second


def shown(key: str, value: Any) -> str:
    """How to print a value. Ports and host names change between runs and machines: hide them."""
    if key in ("SERVER_PORT", "SERVER_NAME"):
        return f"<a {type(value).__name__}>"
    if key == "HTTP_HOST":
        return repr(re.sub(r":\d+$", ":<port>", value))
    if value is sys.stderr:
        return "sys.stderr"
    if isinstance(value, type):
        return f"<class {value.__name__}>"
    if isinstance(value, (str, bytes, bool, tuple)):
        return repr(value)
    return f"<{type(value).__name__}>"


if __name__ == "__main__":
    environ, second = send_requests()

    print("CGI variables (from the request line and the server):")
    for key in ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME",
                "SERVER_PORT", "SERVER_PROTOCOL", "CONTENT_TYPE", "CONTENT_LENGTH"):
        print(f"  {key:20} {shown(key, environ[key])}")

    print("Request headers as HTTP_* keys (no HTTP_CONTENT_TYPE, no HTTP_CONTENT_LENGTH):")
    for key in sorted(k for k in environ if k.startswith("HTTP_")):
        print(f"  {key:20} {shown(key, environ[key])}")

    print("wsgi.* keys:")
    for key in sorted(k for k in environ if k.startswith("wsgi.")):
        print(f"  {key:20} {shown(key, environ[key])}")

    print(f"Read from wsgi.input:  {shown('', environ['body read'])}")
    print(f"X-User: alice and X_User: mallory became HTTP_X_USER = {second['HTTP_X_USER']!r}")
    # wsgiref copies the whole process environment into environ, as a CGI script would see it.
    print(f"PATH, from the server process's own environment, is in environ too: {'PATH' in environ}")
