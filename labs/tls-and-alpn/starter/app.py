"""The app serve.py serves: it tells the client what the server put in its scope about the
connection, as JSON. Over TLS, the ASGI server fills in `http_version` from the protocol that
ALPN selected ("2" for h2, "1.1" for http/1.1) and `scheme` as "https".
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def protocol(request: Request) -> JSONResponse:
    # TODO (step 3): {"http_version": ..., "scheme": ...}, each as the server put it in this
    # request's scope (ASGI HTTP spec, "HTTP Connection Scope").
    return JSONResponse({})


app = Starlette(routes=[Route("/", protocol)])
