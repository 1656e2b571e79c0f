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
    # The app's one client, from the lifespan's state. Awaiting its request suspends this
    # coroutine until the stock service answers, and the event loop serves other requests
    # meanwhile; its pool sends the request on a kept-alive connection when one is free.
    client: httpx.AsyncClient = request.state.stock
    try:
        reply = await client.get(f"/stock/{sku}")
        reply.raise_for_status()
    except httpx.HTTPError as error:
        # An error status (HTTPStatusError) or no proper answer at all (a TransportError:
        # refused, reset, timed out). The fault is upstream, so the answer is 502 Bad
        # Gateway (RFC 9110 §15.6.3), in JSON like every other answer of this endpoint.
        return JSONResponse({"error": f"the stock service failed: {type(error).__name__}"}, status_code=502)
    stock = reply.json()
    return JSONResponse({"sku": sku, "in_stock": stock["in_stock"], "available": stock["in_stock"] > 0})


@contextlib.asynccontextmanager
async def lifespan(app: Starlette):
    # One client for the app's whole life. Its pool keeps connections to the stock service
    # alive between requests, and building a client is itself blocking work (it loads the
    # CA certificates), not something to do per request. Leaving `async with` closes the
    # client and its connections once the server has stopped serving.
    async with httpx.AsyncClient(base_url=UPSTREAM_URL, timeout=TIMEOUT) as client:
        yield {"stock": client}  # each request gets a copy of this state: request.state.stock


app = Starlette(routes=[Route("/products/{sku}", product)], lifespan=lifespan)
