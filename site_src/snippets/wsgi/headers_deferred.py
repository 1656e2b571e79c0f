"""start_response() sends nothing: the headers leave with the first chunk of the body.

PEP 3333 ("The start_response() Callable") says start_response must only store the status
and headers; the server sends them when the app produces its first non-empty chunk (or calls
write(), or returns an empty body). Until then the app may still change its mind, which is
what exc_info is for (see exc_info.py). Here the app looks at the server's output at each
step, through wsgiref's handler writing into memory.

Run it:  python headers_deferred.py
Try:     set EMPTY_FIRST = False; return a list instead of a generator.
"""

from __future__ import annotations

from snippets.wsgi.memory_wire import MemoryWire, http_lines

EMPTY_FIRST = True  # yield b"" before the real body
wire = MemoryWire()
steps: list[tuple[str, bytes]] = []


# --8<-- [start:app]
def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    steps.append(("start_response() returned", wire.sent()))
    return body()


def body():
    if EMPTY_FIRST:
        yield b""  # empty: by the PEP, no reason to send headers yet
        steps.append(("an empty chunk was yielded", wire.sent()))
    yield b"first chunk\n"
    steps.append(("the first chunk was yielded", wire.sent()))
    yield b"second chunk\n"
# --8<-- [end:app]


if __name__ == "__main__":
    wire.run(app)
    for step, sent in steps:
        print(f"after {step}, the server had sent:")
        for line in http_lines(sent):
            print(f"  {line}")
