"""The classic middleware bug: a generator middleware that loses the app's close().

A middleware that transforms the body is easiest to write as a generator: loop over the
app's iterable, yield changed chunks. But the server calls close() on what it was given,
the middleware's generator, and nothing passes that call on: the app's iterable is never
closed. A generator app hides the bug (CPython's garbage collector happens to close it);
an iterable object with a close() method shows it, and Django's response is one (see
django_close.py). The fix is a try/finally that calls close() itself.

Run it:  python close_bug.py
Try:     make the app a generator with a finally: block, and see the leak disappear.
"""

from __future__ import annotations

from snippets.wsgi.memory_wire import MemoryWire

closed: list[str] = []  # what got closed, in order


# --8<-- [start:app]
class Body:
    """A body that holds something: a file, a database cursor, a lock..."""

    def __init__(self, chunks):
        self.chunks = chunks

    def __iter__(self):
        return iter(self.chunks)

    def close(self):
        closed.append("the app's body")  # release what it holds


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return Body([b"hello, ", b"world\n"])
# --8<-- [end:app]


# --8<-- [start:leaky]
def shout_leaky(app):
    def middleware(environ, start_response):
        for chunk in app(environ, start_response):
            yield chunk.upper()
        # The server's close() reaches this generator, not the app's Body.
    return middleware
# --8<-- [end:leaky]


# --8<-- [start:fixed]
def shout(app):
    def middleware(environ, start_response):
        body = app(environ, start_response)
        try:
            for chunk in body:
                yield chunk.upper()
        finally:  # runs at the end, and on close() (GeneratorExit) or an error
            if hasattr(body, "close"):
                body.close()
    return middleware
# --8<-- [end:fixed]


def run(wsgi_app) -> tuple[bytes, list[str]]:
    """What wsgiref's handler sent, and what was closed."""
    closed.clear()
    sent = MemoryWire().run(wsgi_app)
    return sent, list(closed)


if __name__ == "__main__":
    for name, wsgi_app in (("app", app), ("shout_leaky(app)", shout_leaky(app)),
                           ("shout(app)", shout(app))):
        sent, was_closed = run(wsgi_app)
        head, body = sent.split(b"\r\n\r\n", 1)
        print(f"{name}:")
        print(f"  body sent  {body!r}")
        print(f"  closed     {', '.join(was_closed) or 'nothing'}")
