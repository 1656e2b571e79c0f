"""exc_info: replacing a response after an error, and why it only works before the body.

A second call to start_response is allowed only with exc_info, the sys.exc_info() of the
error being handled (PEP 3333, "The start_response() Callable", and "Error Handling"):
- if the headers have not been sent, the new status and headers replace the old ones;
- if they have, the status line is already on the wire: start_response re-raises the error,
  the server logs it and can only cut the response short.
A second call without exc_info is a bug in the app, and the server refuses it.

Run it:  python exc_info.py
Try:     in `late`, yield an empty chunk instead of "part one" (wsgiref still sends headers).
"""

from __future__ import annotations

import sys

from snippets.wsgi.memory_wire import MemoryWire, http_lines

def headers():
    # A new list each time: the server may change the list it is given (PEP 3333).
    return [("Content-Type", "text/plain")]


def load_report():
    raise LookupError("report 7 is gone")


# --8<-- [start:early]
def early(environ, start_response):
    start_response("200 OK", headers())  # stored, not sent yet
    try:
        report = load_report()
    except LookupError:
        # Nothing sent yet: the new status and headers replace the old.
        start_response("404 Not Found", headers(), sys.exc_info())
        return [b"no such report\n"]
    return [report]
# --8<-- [end:early]


# --8<-- [start:late]
def late(environ, start_response):
    start_response("200 OK", headers())
    yield b"part one\n"  # the status line and headers leave with this chunk
    try:
        yield load_report()
    except LookupError:
        # Too late to change the status: start_response re-raises.
        start_response("500 Internal Server Error", headers(), sys.exc_info())
        yield b"never sent\n"
# --8<-- [end:late]


# --8<-- [start:twice]
def twice(environ, start_response):
    start_response("200 OK", headers())
    start_response("201 Created", headers())  # no exc_info: not allowed
    return [b"created\n"]
# --8<-- [end:twice]


def run(app) -> tuple[bytes, str]:
    wire = MemoryWire()
    return wire.run(app), wire.last_error()


if __name__ == "__main__":
    for app in (early, late, twice):
        sent, error = run(app)
        print(f"{app.__name__}: the server sent")
        for line in http_lines(sent):
            print(f"  {line}")
        print(f"  and logged: {error or '(nothing)'}")
