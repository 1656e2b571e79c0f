"""The WSGI app that every server of this module runs: Gunicorn, Nginx in front of it, uWSGI
and mod_wsgi.

It uses the standard library only, so that each server can load it as it likes: Gunicorn
imports it as `snippets.production.apps:application`, uWSGI and mod_wsgi load this file by
its path (both look for a callable named `application` by default). Each path shows one thing:

    /              who answered (process id, thread) and what the server says of itself
    /slow?s=2      a view that takes 2 s (a slow query, a slow API it calls)
    /upload        a POST whose body the view reads to the end, as form parsing does
    /big?mb=16     a large response (a report, an export)
    /environ       the request as the app sees it: client address, host, scheme, proxy headers
    /environ?prefix=mod_wsgi.   the environ keys that start with a prefix

Run it:  python apps.py   (calls each path once, in-process, without a server)
"""

from __future__ import annotations

import json
import os
import pwd
import threading
import time
from urllib.parse import parse_qs

# The environ keys that say who asked, for what host, over what scheme.
SEEN = ("REMOTE_ADDR", "HTTP_HOST", "wsgi.url_scheme", "HTTP_X_FORWARDED_FOR",
        "HTTP_X_FORWARDED_PROTO", "HTTP_X_REAL_IP", "HTTP_FORWARDED")
CHUNK = b"x" * 65536


def _reply(start_response, body: bytes, status: str = "200 OK", kind: str = "text/plain"):
    start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body)))])
    return [body]


# --8<-- [start:app]
def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if path == "/slow":
        seconds = float(query.get("s", ["1"])[0])
        time.sleep(seconds)  # the worker waits, and is held
        return _reply(start_response, f"slept {seconds:g} s\n".encode())
    if path == "/upload":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)  # blocks until the client sent it all
        return _reply(start_response, f"received {len(body)} bytes\n".encode())
    if path == "/big":
        megabytes = int(query.get("mb", ["1"])[0])
        start_response("200 OK", [("Content-Type", "application/octet-stream"),
                                  ("Content-Length", str(megabytes * 16 * len(CHUNK)))])
        return (CHUNK for _ in range(megabytes * 16))  # the worker writes until it is all sent
    if path == "/environ":
        prefix = query.get("prefix", [""])[0]
        keys = [key for key in environ if key.startswith(prefix)] if prefix else SEEN
        seen = {key: str(environ[key]) for key in keys if key in environ}
        return _reply(start_response, json.dumps(seen).encode(), kind="application/json")
    who = {"pid": os.getpid(), "thread": threading.get_ident(), "user": pwd.getpwuid(os.getuid()).pw_name,
           "multithread": environ["wsgi.multithread"], "multiprocess": environ["wsgi.multiprocess"]}
    return _reply(start_response, json.dumps(who).encode(), kind="application/json")
# --8<-- [end:app]


def call(path: str, query: str = "", body: bytes = b"") -> tuple[str, bytes]:
    """Call the app as a server would, without a server; return (status, body)."""
    import io
    from wsgiref.util import setup_testing_defaults

    environ = {"PATH_INFO": path, "QUERY_STRING": query, "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": io.BytesIO(body)}
    setup_testing_defaults(environ)
    got = {}
    chunks = application(environ, lambda status, headers: got.update(status=status))
    return got["status"], b"".join(chunks)


if __name__ == "__main__":
    print("/slow?s=0.1 ->", *call("/slow", "s=0.1"))
    print("/upload     ->", *call("/upload", body=b"x" * 1000))
    status, body = call("/big", "mb=2")
    print(f"/big?mb=2   -> {status} ({len(body):,} bytes)")
    print("/environ    ->", *call("/environ"))
    status, body = call("/")
    print("/           ->", status, sorted(json.loads(body)))
