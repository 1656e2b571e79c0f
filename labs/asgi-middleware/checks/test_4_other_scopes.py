"""Step 4: WebSocket, lifespan and unknown scopes reach the app untouched."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import websockets
from websockets.sync.client import connect

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import TIMEOUT, fetch, import_file, wait_for_file, why
from onthewire.serving import Running


def _ws_url(server: Running, path: str) -> str:
    return f"ws://{server.host}:{server.port}{path}"


def test_websocket_echo(serve: ServeFactory) -> None:
    """lets a WebSocket through: a Starlette echo endpoint echoes through the middleware

    Look at: the scope types in ServerTiming.__call__: a "websocket" scope is not an HTTP request
    """
    with serve(app="starlette_app:app") as server:
        try:
            with connect(_ws_url(server, "/echo"), open_timeout=TIMEOUT, close_timeout=TIMEOUT) as ws:
                for text in ["hello", "wörld", "x" * 10_000]:
                    ws.send(text)
                    back = ws.recv(timeout=TIMEOUT)
                    assert back == text, f"sent {text[:20]!r}, the echo sent back {back[:20]!r}"
        except (websockets.exceptions.WebSocketException, OSError, TimeoutError) as e:
            raise AssertionError(f"the WebSocket to /echo failed ({type(e).__name__}: {e}){why(server)}") from None


def test_lifespan_passes_through(serve: ServeFactory, markers: Path) -> None:
    """lets the lifespan through: Starlette's startup sets the state a view reads, and its shutdown runs

    Look at: the scope types in ServerTiming.__call__: the "lifespan" scope must reach the app
    """
    with serve(app="starlette_app:app") as server:
        reply = fetch(server, "GET", "/state")
        assert reply.status_code == 200, (
            f"GET /state, a view that reads the lifespan's state, answered {reply.status_code}: did the lifespan "
            f"reach the app?{why(server)}")
    assert reply.text == "hello from the lifespan", f"the view read {reply.text[:80]!r} from the lifespan's state"
    events = (markers / "events").read_text().split() if (markers / "events").exists() else []
    assert events == ["startup", "shutdown"], f"the app's lifespan ran {events}, want startup and then shutdown"


def test_same_callables_for_other_scopes(serve: ServeFactory, markers: Path) -> None:
    """hands the app the very same scope, receive and send for a WebSocket and for the lifespan

    Look at: the branch for scopes that aren't "http": no wrappers, no copies
    """
    with serve(app="passthrough_app:app") as server:
        try:
            with connect(_ws_url(server, "/"), open_timeout=TIMEOUT, close_timeout=TIMEOUT) as ws:
                websocket = json.loads(ws.recv(timeout=TIMEOUT))
        except (websockets.exceptions.WebSocketException, OSError, TimeoutError) as e:
            raise AssertionError(f"the WebSocket to passthrough_app failed ({type(e).__name__}: {e}){why(server)}") from None
        text = wait_for_file(markers / "lifespan")
        lifespan = json.loads(text) if text else None
    assert lifespan is not None, "the app never got the lifespan scope"
    for kind, found in [("websocket", websocket), ("lifespan", lifespan)]:
        wrong = [what for what, held in found.items() if not held]
        assert not wrong, f"for a {kind} scope, the app did not get {' or '.join(wrong)} that the server gave"


def test_unknown_scope_types(code_dir: Path) -> None:
    """hands the app a scope type it has never heard of untouched, so a later ASGI version still works

    Look at: the branch for scopes that aren't "http": does it name the types it knows, or everything but "http"?
    """
    ServerTiming = import_file(code_dir / "timing.py").ServerTiming
    got = {}

    async def inner(scope, receive, send) -> None:
        got.update(scope=scope, receive=receive, send=send)

    async def receive() -> dict:
        return {"type": "webtransport.connect"}

    async def send(message: dict) -> None:
        pass

    scope = {"type": "webtransport", "asgi": {"version": "3.0"}, "path": "/"}
    try:
        asyncio.run(asyncio.wait_for(ServerTiming(inner)(scope, receive, send), TIMEOUT))
    except Exception as e:
        raise AssertionError(f"for a scope of type 'webtransport', ServerTiming raised {type(e).__name__}: {e}") from None
    assert got, "the app was never called for a scope of type 'webtransport'"
    wrong = [what for what, value in [("scope", scope), ("receive", receive), ("send", send)] if got[what] is not value]
    assert not wrong, f"for a 'webtransport' scope, the app got another {' and '.join(wrong)} than the server gave"
    assert scope == {"type": "webtransport", "asgi": {"version": "3.0"}, "path": "/"}, f"the scope was changed: {scope}"
