"""Bodies that come in pieces, to see how a server streams, frames and closes them.

Markers (files the checks wait for) go in the folder named by $WIRE_MARKERS, which the
checks set before they start the server.

    /wait      "first", then waits (at most 5 s) for the check to create the file "go", then
               "second"; it writes "wait.next" when the server asks for the piece after "first"
    /count     100 pieces, 10 ms apart, from an iterable whose close() writes "count.closed"
    /closing   3 pieces from the same kind of iterable, which writes "closing.closed", with a
               Content-Length, so that the connection can carry the next request

An iterable that the server lets go of without having called its close() writes "NAME.released"
instead: once the server holds no reference to it, nothing can call close() any more, so a
check knows at that moment that it never will (CPython frees an object when its last reference
goes, unless it is in a reference cycle).
    /unknown   4 pieces and an empty one, with no Content-Length
    /fixed     3 pieces, with a Content-Length
    /overlong  10 bytes in 2 pieces, with a Content-Length of 5: the server must send only 5
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from onthewire.labs.apps import markers

TEXT = [("Content-Type", "text/plain; charset=utf-8")]


class CountedBody:
    """An iterable with a close() method, like the bodies Django and Flask return.

    close() is a method of this object, not of the generator that __iter__ returns: the
    server must call it on what the app returned.
    """

    def __init__(self, name: str, pieces: int, pause: float = 0.0) -> None:
        self.name, self.pieces, self.pause = name, pieces, pause
        self.produced = 0
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        for i in range(self.pieces):
            if i and self.pause:
                time.sleep(self.pause)
            self.produced += 1
            yield f"piece {i}\n".encode()

    def close(self) -> None:
        self.closed = True
        markers.write(f"{self.name}.closed", f"closed after {self.produced} of {self.pieces} pieces")

    def __del__(self) -> None:
        if not self.closed:
            markers.write(f"{self.name}.released", f"let go of, close() never called, after {self.produced} pieces")


def wait_for_go() -> Iterator[bytes]:
    yield b"first\n"
    markers.write("wait.next", "the server asked for the piece after the first")
    markers.block_until("go")  # at most 5 s
    yield b"second\n"


def app(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
    path = environ.get("PATH_INFO", "")
    if path == "/wait":
        start_response("200 OK", TEXT)
        return wait_for_go()
    if path == "/count":
        start_response("200 OK", TEXT)
        return CountedBody("count", 100, pause=0.01)
    if path == "/closing":
        start_response("200 OK", [*TEXT, ("Content-Length", "24")])
        return CountedBody("closing", 3)
    if path == "/fixed":
        start_response("200 OK", [*TEXT, ("Content-Length", "15")])
        return [b"12345", b"67890", b"abcde"]
    if path == "/overlong":
        start_response("200 OK", [*TEXT, ("Content-Length", "5")])
        return [b"12345", b"67890"]
    start_response("200 OK", TEXT)
    # A piece of 26 bytes: its chunk size is 1a in hex, which a size written in decimal is not.
    return [b"one ", b"", b"two ", b"three", b", and a fourth piece of 26"]
