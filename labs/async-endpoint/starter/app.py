"""A product endpoint that asks a slow stock service (the "upstream") on every request.

GET /products/SKU calls the stock service's GET /stock/SKU, which answers
{"sku": "SKU", "in_stock": N} after about 0.2 s, and returns
{"sku": "SKU", "in_stock": N, "available": N > 0}.

The stock service's address comes from UPSTREAM_URL (serve.py sets it). README.md says
what to change in this file, and why.
"""

from __future__ import annotations

import contextlib
import os

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

UPSTREAM_URL = os.environ.get("UPSTREAM_URL", "http://127.0.0.1:8081")  # serve.py sets it
TIMEOUT = httpx.Timeout(5.0)


async def product(request: Request) -> JSONResponse:
    sku = request.path_params["sku"]
    # TODO step 2: while this request waits for the stock service, the event loop must be
    # free to serve other requests, and the request must go out on the app's one client
    # (README "Await the stock service").
    with httpx.Client(base_url=UPSTREAM_URL, timeout=TIMEOUT) as client:
        reply = client.get(f"/stock/{sku}")
    # TODO step 3: a stock service that answers with an error status, or not at all, is a
    # fault upstream, and the answer must say so, in JSON (RFC 9110 §15.6.3).
    reply.raise_for_status()
    stock = reply.json()
    return JSONResponse({"sku": sku, "in_stock": stock["in_stock"], "available": stock["in_stock"] > 0})


# TODO step 1: one client for the app's whole life: made before the first request, in every
# request's state, closed after the last (the ASGI lifespan protocol; Starlette "Lifespan").
app = Starlette(routes=[Route("/products/{sku}", product)])
