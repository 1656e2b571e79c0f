"""The client's life: one for the whole app, created at startup, closed at shutdown."""

from __future__ import annotations

import sys
from pathlib import Path

import httpx
import pytest

from onthewire.labs.kit import fetch, import_file
from onthewire.serving import Running, serving_asgi
from stock import TIMEOUT

N = 5


def test_reuses_its_connections(app: Running, upstream) -> None:
    """sends 5 requests in a row on kept-alive connections, not a new one each

    Look at: where app.py creates its client: once, in the lifespan, or per request?
    """
    _, service = upstream
    fetch(app, "GET", "/products/warm-up", timeout=TIMEOUT)
    before = set(service.connections)
    for n in range(N):
        reply = fetch(app, "GET", f"/products/item-{n}", timeout=TIMEOUT)
        assert reply.status_code == 200, f"GET /products/item-{n} answered {reply.status_code}"
    new = service.connections - before
    assert len(new) <= 1, (
        f"{N} requests in a row opened {len(new)} new connections to the stock service; "
        "one client, kept for the app's life, would have reused one")


def test_client_created_at_startup_and_closed_at_shutdown(code_dir: Path, upstream, monkeypatch: pytest.MonkeyPatch) -> None:
    """creates its client when the app starts, and closes it when the app shuts down

    Look at: the lifespan in app.py (Starlette(..., lifespan=...)), and `async with`
    """
    url, _ = upstream
    # This check runs app.py inside the checks' own process (uvicorn in a thread), so that it
    # can look at the app's httpx clients right after the lifespan's shutdown.
    driver = httpx.Client(timeout=10)  # the check's own client, made before the recording starts
    created: list[httpx.AsyncClient | httpx.Client] = []
    for kind in (httpx.AsyncClient, httpx.Client):
        original = kind.__init__

        def recording(self, *args, _original=original, **kwargs):
            created.append(self)
            _original(self, *args, **kwargs)

        monkeypatch.setattr(kind, "__init__", recording)
    monkeypatch.setenv("UPSTREAM_URL", url)
    monkeypatch.syspath_prepend(str(code_dir))
    monkeypatch.setitem(sys.modules, "app_under_check", None)  # gone again after the check
    module = import_file(code_dir / "app.py", "app_under_check")

    left_open: list[httpx.AsyncClient | httpx.Client] = []
    with driver, serving_asgi(_noting_open_clients(module.app, created, left_open), lifespan="on") as app_url:
        at_startup = len(created)
        reply = driver.get(f"{app_url}/products/kettle")
        assert reply.status_code == 200, f"GET /products/kettle answered {reply.status_code}"
        assert at_startup >= 1, "no httpx client existed when the app had started: create it in the lifespan"
    assert not left_open, (
        f"after the app shut down, {len(left_open)} of the {len(created)} httpx clients it made were still open: "
        "close the client when the lifespan ends (async with, or await client.aclose())")


def _noting_open_clients(app, created: list, left_open: list):
    """The app, wrapped: once its lifespan has shut down, note which clients are still open,
    and close them (on the app's own event loop, while it still runs) so nothing leaks."""

    async def wrapped(scope, receive, send):
        if scope["type"] != "lifespan":
            return await app(scope, receive, send)

        async def send_noting(message):
            if message["type"] == "lifespan.shutdown.complete":
                for client in created:
                    if not client.is_closed:
                        left_open.append(client)
                        await client.aclose() if isinstance(client, httpx.AsyncClient) else client.close()
            await send(message)

        await app(scope, receive, send_noting)

    return wrapped
