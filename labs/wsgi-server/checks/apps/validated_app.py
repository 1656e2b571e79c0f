"""An app wrapped in wsgiref.validate.validator, the standard library's PEP 3333 referee.

The validator sits between the server and the app and checks both sides: the environ, every
call on wsgi.input and wsgi.errors, the start_response and write calls, and the iterable.
When the server breaks a rule it raises AssertionError, inside the server's call to the app,
so a server that handles app errors answers 500 and logs the assertion.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.validate import validator


def inner(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
    size = int(environ.get("CONTENT_LENGTH") or 0)
    first_line = environ["wsgi.input"].readline()
    rest = environ["wsgi.input"].read(size - len(first_line))
    environ["wsgi.errors"].write(f"validated_app: {environ['REQUEST_METHOD']} read {size} bytes\n")
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    return [b"validated; you sent: ", first_line, rest]


app = validator(inner)
