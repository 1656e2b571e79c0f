"""Apps that fail, in all the places an app can fail.

    /raise            raises before start_response
    /raise-in-body    a generator that raises before its first piece
    /raise-mid-body   sends "partial", then raises; its close() writes "raise-mid-body.closed"
                      in $WIRE_MARKERS, or, if the server lets go of it without calling close(),
                      it writes "raise-mid-body.released" (see streaming_app.py)
    /ok               a normal response, to show the server survived
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from onthewire.labs.apps import markers

SECRET = "the database password is hunter2"
TEXT = [("Content-Type", "text/plain; charset=utf-8")]


def failing_generator(start_response: Callable) -> Iterator[bytes]:
    start_response("200 OK", TEXT)
    raise RuntimeError(f"failed before the first piece: {SECRET}")
    yield b"never sent"


class FailingMidway:
    def __iter__(self) -> Iterator[bytes]:
        yield b"partial\n"
        raise RuntimeError(f"failed after the first piece: {SECRET}")

    closed = False

    def close(self) -> None:
        self.closed = True
        markers.write("raise-mid-body.closed", "closed")

    def __del__(self) -> None:
        if not self.closed:
            markers.write("raise-mid-body.released", "let go of, close() never called")


def app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
    path = environ.get("PATH_INFO", "")
    if path == "/raise":
        raise RuntimeError(f"failed at once: {SECRET}")
    if path == "/raise-in-body":
        return failing_generator(start_response)
    if path == "/raise-mid-body":
        start_response("200 OK", TEXT)
        return FailingMidway()
    start_response("200 OK", TEXT)
    return [b"still serving\n"]
