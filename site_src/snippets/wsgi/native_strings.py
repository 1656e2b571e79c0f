"""Native strings: PATH_INFO is a str whose characters are the URL's bytes, read as latin-1.

HTTP carries bytes; Python 3 has str and bytes. PEP 3333 ("Unicode Issues") settles it: the
environ holds "native strings" (str) that only ever contain code points U+0000 to U+00FF, one
per byte, so no information is lost and no encoding is guessed. The server percent-decodes
the path to bytes and hands them over as latin-1; it is the app that knows the path is UTF-8.

Run it:  python native_strings.py
Try:     request /na%C3%AFve or /%E2%82%AC (a euro sign: three bytes, three characters).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import httpx

from onthewire.serving import serving_wsgi

seen: list[dict[str, Any]] = []


# --8<-- [start:app]
def app(environ, start_response):
    raw = environ["PATH_INFO"]                    # '/cafÃ©': bytes as str
    path = raw.encode("latin-1").decode("utf-8")  # the bytes, then text
    query = parse_qs(environ["QUERY_STRING"])     # percent-decodes, UTF-8
    seen.append({"PATH_INFO": raw, "path": path, "query": query,
                 "QUERY_STRING": environ["QUERY_STRING"]})
    start_response("200 OK", [("Content-Type", "text/plain; charset=utf-8")])
    return [f"You asked for {path}\n".encode("utf-8")]
# --8<-- [end:app]


TARGETS = ["/caf%C3%A9?dish=cr%C3%AApe", "/a%2Fb/c"]  # a UTF-8 path; an encoded slash


def request_all() -> list[dict[str, Any]]:
    seen.clear()
    with serving_wsgi(app) as url:
        for target in TARGETS:
            # httpx would re-encode a path with non-ASCII characters; send these bytes as is.
            httpx.get(url + target)
    return list(seen)


if __name__ == "__main__":
    for target, got in zip(TARGETS, request_all()):
        print(f"request target: {target}")
        print(f"  PATH_INFO          {got['PATH_INFO']!r}  ({len(got['PATH_INFO'])} characters)")
        print(f"  decoded as UTF-8   {got['path']!r}")
        print(f"  QUERY_STRING       {got['QUERY_STRING']!r}")
        print(f"  parse_qs           {got['query']!r}")
