"""wsgiref.validate: a middleware that checks both sides of the WSGI contract as it runs.

validator(app) returns an app that checks every step: the environ the server built, the
status and headers the app passes to start_response, the type of every chunk, that close()
is called. It fails with an AssertionError naming the rule, or warns (WSGIWarning) about
things that are allowed but suspicious. Put it around your app in development and tests.

Run it:  python validate_demo.py
Try:     return a tuple of headers instead of a list; forget the Content-Type header.
"""

from __future__ import annotations

import io
import textwrap
import warnings
from wsgiref.simple_server import WSGIRequestHandler
from wsgiref.validate import validator

import httpx

from snippets.wsgi.by_hand import call, make_environ
from onthewire.serving import serving_wsgi


# --- Three apps that each break a rule of PEP 3333 ----------------------------------------

# --8<-- [start:apps]
def str_body(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return ["hello\n"]  # str, not bytes


def bytes_header(environ, start_response):
    # Header values are str.
    start_response("200 OK", [("Content-Type", b"text/plain")])
    return [b"hello\n"]


def no_reason(environ, start_response):
    # A status is "200 OK": code, space, reason phrase.
    start_response("200", [("Content-Type", "text/plain")])
    return [b"hello\n"]
# --8<-- [end:apps]


def check(app) -> str:
    """Call validator(app) with a complete environ; say what the validator objected to."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            call(validator(app), make_environ())
        except AssertionError as e:
            return f"AssertionError: {e}"
    if caught:
        return f"{caught[0].category.__name__}: {caught[0].message}"
    return "no objection"


# --- The same in a real server: the client gets a 500, the log gets the reason -------------

class LoggingHandler(WSGIRequestHandler):
    """wsgiref's handler, with its error log (wsgi.errors) kept in memory to print it."""

    log = io.StringIO()

    def get_stderr(self):
        return self.log

    def log_message(self, format, *args):
        pass  # no access log: it has dates and ports in it


def serve(app) -> tuple[int, str]:
    """(status code the client got, last line of the server's error log)."""
    LoggingHandler.log = io.StringIO()
    with serving_wsgi(app, handler_class=LoggingHandler) as url:
        status = httpx.get(url).status_code
    lines = LoggingHandler.log.getvalue().strip().splitlines()
    return status, lines[-1] if lines else ""


if __name__ == "__main__":
    print("validator(app), called by hand:")
    for app in (str_body, bytes_header, no_reason):
        print(f"  {app.__name__}:")
        print(textwrap.indent(textwrap.fill(check(app), 76), "    "))
    print("served by wsgiref:")
    # --8<-- [start:served]
    for name, app in (("validator(str_body)", validator(str_body)),
                      ("no_reason", no_reason)):
        status, logged = serve(app)
        print(f"  {name}: the client got {status}; the server logged:")
        print(f"    {logged}")
    # --8<-- [end:served]
