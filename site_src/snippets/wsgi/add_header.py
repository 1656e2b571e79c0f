"""Middleware: a WSGI app that wraps a WSGI app. This one adds response headers.

To the server, middleware is an app; to the app, it is a server (PEP 3333, "Middleware:
Components that Play Both Sides"). This one passes the request through untouched and
wraps start_response, so it can add headers before the server stores them. It returns
the app's own iterable: the server then calls the app's close() itself, nothing to lose.

Run it:  python add_header.py
Try:     make the app set its own X-Frame-Options and see that the middleware keeps it.
"""

from __future__ import annotations

from wsgiref.headers import Headers

from snippets.wsgi.by_hand import app, call, make_environ


# --8<-- [start:middleware]
class SecurityHeaders:
    """Add headers to every response, unless the app set them itself."""

    def __init__(self, app, headers):
        self.app = app
        self.headers = headers

    def __call__(self, environ, start_response):
        def start_with_headers(status, headers, exc_info=None):
            # A copy: Headers edits the list it wraps, and that is the app's.
            headers = Headers(list(headers))
            for name, value in self.headers:
                headers.setdefault(name, value)
            # Pass exc_info through, and return the server's write() to the app.
            return start_response(status, headers.items(), exc_info)

        # The app's own iterable, untouched: its close() is safe.
        return self.app(environ, start_with_headers)
# --8<-- [end:middleware]


# --8<-- [start:wrap]
secured = SecurityHeaders(app, [("X-Content-Type-Options", "nosniff"),
                                ("X-Frame-Options", "DENY")])
# --8<-- [end:wrap]

if __name__ == "__main__":
    for name, wsgi_app in (("app", app), ("SecurityHeaders(app)", secured)):
        response = call(wsgi_app, make_environ("/ada"))
        print(f"{name}:")
        for header in response.headers:
            print(f"  {header[0]}: {header[1]}")
