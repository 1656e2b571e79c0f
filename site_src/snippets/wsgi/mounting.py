"""SCRIPT_NAME and PATH_INFO: where the app is mounted, and what is left of the path.

The request path is split in two (PEP 3333, "environ Variables"): SCRIPT_NAME is the part
that led to this app, PATH_INFO the part the app must route. A dispatcher that mounts apps
under prefixes moves one segment from one to the other (wsgiref.util.shift_path_info),
and the mounted app can rebuild its own URLs from the pair without knowing its prefix.

Run it:  python mounting.py
Try:     mount `blog` under "docs" too; request "/" and "/nowhere".
"""

from __future__ import annotations

from wsgiref.util import application_uri, request_uri, shift_path_info

from snippets.wsgi.by_hand import call, make_environ


# --- An app that does not know where it is mounted -----------------------------------------

# --8<-- [start:blog]
def blog(environ, start_response):
    lines = [
        f"SCRIPT_NAME     {environ['SCRIPT_NAME']!r}",
        f"PATH_INFO       {environ['PATH_INFO']!r}",
        # scheme + host + SCRIPT_NAME; then + PATH_INFO + query string
        f"application URI {application_uri(environ)}",
        f"request URI     {request_uri(environ)}",
    ]
    start_response("200 OK", [("Content-Type", "text/plain")])
    return ["\n".join(lines).encode() + b"\n"]
# --8<-- [end:blog]


# --- A dispatcher: itself a WSGI app, calling others ----------------------------------------

# --8<-- [start:mount]
def mount(apps):
    def dispatcher(environ, start_response):
        # PATH_INFO '/blog/2024/wsgi' -> returns 'blog', and moves
        # '/blog' to the end of SCRIPT_NAME: PATH_INFO is now '/2024/wsgi'
        prefix = shift_path_info(environ)
        app = apps.get(prefix)
        if app is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no app mounted here\n"]
        return app(environ, start_response)
    return dispatcher
# --8<-- [end:mount]


site = mount({"blog": blog})

if __name__ == "__main__":
    # --8<-- [start:main]
    print("blog served at the root, GET /2024/wsgi?draft=1:")
    print(call(blog, make_environ("/2024/wsgi", query="draft=1")).body.decode())
    print("blog mounted under /blog, GET /blog/2024/wsgi?draft=1:")
    print(call(site, make_environ("/blog/2024/wsgi", query="draft=1")).body.decode())
    print("GET /shop/cart:", call(site, make_environ("/shop/cart")).status)
    # --8<-- [end:main]
