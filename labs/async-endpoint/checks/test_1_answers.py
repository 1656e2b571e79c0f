"""What the endpoint answers when the stock service does its job."""

from __future__ import annotations

import pytest

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import fetch
from onthewire.serving import Running
from stock import TIMEOUT


def test_runs_with_the_bundled_stock_service(serve: ServeFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """starts as `wire start` does, with serve.py's own stock service

    Look at: the given serve.py and stock_service.py (did an edit break them?), and app.py's imports
    """
    monkeypatch.delenv("UPSTREAM_URL", raising=False)  # so serve.py starts stock_service.py
    with serve() as server:
        reply = fetch(server, "GET", "/products/kettle", timeout=TIMEOUT)
        assert "Stock service (the upstream)" in server.output(), "serve.py did not start its stock service"
    assert reply.status_code == 200, f"GET /products/kettle answered {reply.status_code}: {reply.text[:80]!r}"
    assert reply.json() == {"sku": "kettle", "in_stock": 6, "available": True}, f"got {reply.json()}"


def test_answers_with_the_stock(app: Running) -> None:
    """answers GET /products/SKU with the stock service's count, as JSON

    Look at: product() in app.py: the JSON it returns
    """
    for sku, count in [("kettle", 6), ("sold-out-teapot", 0)]:
        reply = fetch(app, "GET", f"/products/{sku}", timeout=TIMEOUT)
        assert reply.status_code == 200, f"GET /products/{sku} answered {reply.status_code}: {reply.text[:80]!r}"
        assert reply.headers.get("content-type", "").startswith("application/json"), \
            f"GET /products/{sku}: content-type {reply.headers.get('content-type')!r}, want application/json"
        want = {"sku": sku, "in_stock": count, "available": count > 0}
        assert reply.json() == want, f"GET /products/{sku} answered {reply.json()}, want {want}"
