"""wsgiref's real server-side code, writing the response into memory instead of a socket.

wsgiref.handlers.SimpleHandler is the part of wsgiref's server that runs one app for one
request: it calls the app, sends the status line and headers, writes the body and calls
close(). Give it a BytesIO as its output and you can read, byte for byte, what would have
gone on the wire, and when. Several snippets of this module use it.

Run it:  python memory_wire.py
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from wsgiref.handlers import SimpleHandler

from snippets.wsgi.by_hand import Environ, make_environ

DATE = re.compile(rb"Date: [^\r]*")  # changes every second: masked when shown


# --8<-- [start:wire]
class MemoryWire:
    """Run apps through wsgiref's handler; keep what it sends and logs."""

    def __init__(self, environ: Environ | None = None) -> None:
        self.environ = environ if environ is not None else make_environ()
        self.out = io.BytesIO()
        self.errors = io.StringIO()  # wsgi.errors: the handler's error log

    def sent(self) -> bytes:
        """Everything written so far, with the Date header's value masked."""
        return DATE.sub(b"Date: <date>", self.out.getvalue())

    def run(self, app: Callable) -> bytes:
        stdin = self.environ["wsgi.input"]
        SimpleHandler(stdin, self.out, self.errors, self.environ).run(app)
        return self.sent()

    def last_error(self) -> str:
        """The last line logged (an exception and its message), or ''."""
        lines = self.errors.getvalue().strip().splitlines()
        return lines[-1] if lines else ""
# --8<-- [end:wire]


def http_lines(sent: bytes) -> list[str]:
    """Bytes as sent, one HTTP line each (CRLF kept), ready to print; the body last."""
    if not sent:
        return ["(nothing)"]
    head, crlf, body = sent.partition(b"\r\n\r\n")
    lines = [repr(line + b"\r\n") for line in head.split(b"\r\n")]
    if crlf:
        lines.append(repr(b"\r\n"))
    if body:
        lines.append(repr(body))
    return lines


if __name__ == "__main__":
    from snippets.wsgi.by_hand import app

    print("\n".join(http_lines(MemoryWire(make_environ("/ada")).run(app))))
