"""Real apps: Starlette and Django."""

from __future__ import annotations

import json
import subprocess

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import COURSE_APPS, fetch


def curl(*args: str) -> str:
    done = subprocess.run(["curl", "-sS", "-i", "--max-time", "5", *args], capture_output=True, text=True, timeout=10)
    assert done.returncode == 0, f"curl {' '.join(args)} failed: {done.stderr.strip()}"
    return done.stdout


def test_starlette(serve: ServeFactory) -> None:
    """serves a real Starlette app with a lifespan (tiny_starlette:app), checked with curl

    Look at: build_scope() and Lifespan first (Starlette reads the scope and its state), then the other failing checks
    """
    with serve(app="tiny_starlette:app") as server:
        out = curl(f"{server.url}/hello/Zo%C3%AB")
        assert out.startswith("HTTP/1.1 200"), f"GET /hello/Zo%C3%AB: {out[:80]!r}"
        assert out.endswith("Hello, Zoë, from Starlette!"), f"GET /hello/Zo%C3%AB: {out[-80:]!r}"
        out = curl("-H", "Content-Type: application/json", "--data", '{"n": 1}', f"{server.url}/echo?x=1")
        head, _, body = out.partition("\n\n")  # text=True has turned each CRLF into \n
        assert head.startswith("HTTP/1.1 200"), f"POST /echo: {out[:80]!r}"
        want = {"json": {"n": 1}, "query": {"x": "1"}, "url": f"{server.url}/echo?x=1", "client": "127.0.0.1"}
        assert json.loads(body) == want, f"POST /echo: Starlette saw {body}"
        out = curl(f"{server.url}/stream")
        assert "transfer-encoding: chunked" in out.lower(), f"GET /stream (no length): {out[:200]!r}"
        assert out.endswith("line 0\nline 1\nline 2\n"), f"GET /stream: {out[-80:]!r}"


def test_django(serve: ServeFactory) -> None:
    """serves a real Django project (tinysite.asgi:application), which has no lifespan

    Look at: build_scope() first (Django reads many of its keys), then the other failing checks
    """
    with serve(app="tinysite.asgi:application", app_dir=COURSE_APPS) as server:
        reply = fetch(server, "GET", "/hello/Zo%C3%AB")
        assert reply.status_code == 200, f"GET /hello/Zo%C3%AB: {reply.status_code} {reply.text[:80]!r}"
        assert reply.text == "Hello, Zoë, from Django!", f"GET /hello/Zo%C3%AB: {reply.text[:80]!r}"
        reply = fetch(server, "POST", "/echo?x=1", content=b"a=b")
        assert reply.status_code == 200, f"POST /echo: {reply.status_code} {reply.text[:80]!r}"
        want = {"method": "POST", "path": "/echo", "query": {"x": "1"}, "body": "a=b",
                "host": f"127.0.0.1:{server.port}", "absolute": f"{server.url}/echo?x=1", "remote": "127.0.0.1"}
        assert reply.json() == want, f"POST /echo: Django saw {reply.json()}"
        reply = fetch(server, "GET", "/stream")
        assert reply.text == "line 0\nline 1\nline 2\n", f"GET /stream: {reply.text[:80]!r}"
        reply = fetch(server, "GET", "/nowhere")
        assert reply.status_code == 404, f"GET /nowhere: {reply.status_code}, want Django's 404"
