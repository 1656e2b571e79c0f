"""Three ways to give a server the body: a list, a generator, and the legacy write().

The app returns any iterable of bytes; the server sends each item as it gets it and must not
buffer it (PEP 3333, "Buffering and Streaming"). What the server knows in advance differs:
a one-item list has a known length, so wsgiref adds Content-Length; a generator's length is
unknown, so the body runs until the connection closes (wsgiref speaks HTTP/1.0 and does not
use chunked encoding). write(), returned by start_response, pushes bytes out at once, before
the app has even returned: it exists for old frameworks and new apps should not use it.

Run it:  python body_shapes.py
Try:     return [b"hello ", b"world"]: two items, no Content-Length either.
"""

from __future__ import annotations

from snippets.wsgi.memory_wire import MemoryWire, http_lines

wire = MemoryWire()  # a fresh one for each app, in main
sent_before_return: list[bytes] = []


def headers():
    return [("Content-Type", "text/plain")]


# --8<-- [start:apps]
def one_item_list(environ, start_response):
    start_response("200 OK", headers())
    return [b"hello world\n"]


def generator(environ, start_response):
    start_response("200 OK", headers())
    yield b"hello "
    yield b"world\n"


def legacy_write(environ, start_response):
    write = start_response("200 OK", headers())
    write(b"hello ")  # sent now, headers first, before the app returns
    sent_before_return.append(wire.sent())
    return [b"world\n"]
# --8<-- [end:apps]


# --8<-- [start:shared]
SHARED = [("Content-Type", "text/plain")]  # one list for all: a mistake


def shared_headers(environ, start_response):
    # PEP 3333: "the server may change its contents in any way it desires"
    start_response("200 OK", SHARED)
    return [b"hello world\n"]
# --8<-- [end:shared]


def run(app) -> bytes:
    """The bytes wsgiref's handler sends for `app`."""
    global wire
    wire = MemoryWire()
    return wire.run(app)


if __name__ == "__main__":
    for app in (one_item_list, generator, legacy_write):
        print(f"{app.__name__}:")
        for line in http_lines(run(app)):
            print(f"  {line}")
    print("sent by write(), before legacy_write returned:")
    for line in http_lines(sent_before_return[0]):
        print(f"  {line}")
    run(shared_headers)
    print("the app's own SHARED list, after one response:")
    print(f"  {SHARED}")
