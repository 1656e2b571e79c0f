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
    # TODO: a sync client inside async def. While it waits for the stock service, the event
    # loop waits with it, and no other request runs; and every request builds a client (and
    # a connection) of its own. Await the request on the one httpx.AsyncClient that the
    # lifespan below creates (it is in request.state).
    with httpx.Client(base_url=UPSTREAM_URL, timeout=TIMEOUT) as client:
        reply = client.get(f"/stock/{sku}")
    # TODO: when the stock service fails (an error status, or no answer at all), answer 502
    # with a JSON body like {"error": "..."}, instead of letting the exception become a 500.
    reply.raise_for_status()
    stock = reply.json()
    return JSONResponse({"sku": sku, "in_stock": stock["in_stock"], "available": stock["in_stock"] > 0})


# TODO: a lifespan (https://www.starlette.io/lifespan/) that creates one httpx.AsyncClient
# when the app starts, yields it in the state ({"stock": client}), and closes it when the
# app stops; then pass it to Starlette(..., lifespan=lifespan).
app = Starlette(routes=[Route("/products/{sku}", product)])
