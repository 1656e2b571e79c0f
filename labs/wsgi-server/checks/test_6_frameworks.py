"""Real apps: the standard library's validator, Flask and Django."""

from __future__ import annotations

import json
import subprocess

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import COURSE_APPS, fetch, last_error
from wsgi_checks import APPS


def test_wsgiref_validate(serve: ServeFactory) -> None:
    """passes wsgiref.validate, which checks the environ, wsgi.input, start_response and the body

    Look at: what the validator said, above: its AssertionError names the rule your server broke
    """
    with serve(app="validated_app:app", app_dir=APPS) as server:
        for method, body in [("GET", b""), ("POST", b"line one\nline two")]:
            try:
                reply = fetch(server, method, "/", content=body or None)
                assert reply.status_code == 200, f"{method} /: {reply.status_code}"
            except AssertionError as e:
                # The validator raises inside the server's call to the app: that shows up as a
                # 500 or a dropped connection, and the reason is in the server's output.
                raise AssertionError(f"wsgiref.validate raised in your server: {last_error(server) or '?'} ({e})") from None
            assert reply.text == "validated; you sent: " + body.decode(), f"{method}: the body was {reply.text!r}"


def curl(*args: str) -> str:
    done = subprocess.run(["curl", "-sS", "-i", "--max-time", "5", *args], capture_output=True, text=True, timeout=10)
    assert done.returncode == 0, f"curl {' '.join(args)} failed: {done.stderr.strip()}"
    return done.stdout


def test_flask(serve: ServeFactory) -> None:
    """serves a real Flask app (tiny_flask:app), checked with curl

    Look at: build_environ() first (Flask reads many of its keys), then the other failing checks
    """
    with serve(app="tiny_flask:app", app_dir=APPS) as server:
        out = curl(f"{server.url}/hello/Zo%C3%AB")
        assert out.startswith("HTTP/1.1 200"), f"GET /hello/Zo%C3%AB: {out[:80]!r}"
        assert out.endswith("Hello, Zoë!"), f"GET /hello/Zo%C3%AB: {out[-80:]!r}"
        out = curl("-H", "Content-Type: application/json", "--data", '{"n": 1}', f"{server.url}/echo?x=1")
        head, _, body = out.partition("\n\n")  # text=True has turned each CRLF into \n
        assert head.startswith("HTTP/1.1 200"), f"POST /echo: {out[:80]!r}"
        got = json.loads(body)
        want = {"json": {"n": 1}, "args": {"x": "1"}, "host": f"127.0.0.1:{server.port}", "url": f"{server.url}/echo?x=1"}
        assert got == want, f"POST /echo: Flask saw {got}"
        out = curl(f"{server.url}/stream")
        assert "transfer-encoding: chunked" in out.lower(), f"GET /stream (no length): {out[:200]!r}"
        assert out.endswith("line 0\nline 1\nline 2\n"), f"GET /stream: {out[-80:]!r}"


def test_django(serve: ServeFactory) -> None:
    """serves a real Django project (tinysite.wsgi:application)

    Look at: build_environ() first (Django reads many of its keys), then the other failing checks
    """
    with serve(app="tinysite.wsgi:application", app_dir=COURSE_APPS) as server:
        reply = fetch(server, "GET", "/hello/Zo%C3%AB")
        assert reply.status_code == 200, f"GET /hello/Zo%C3%AB: {reply.status_code} {reply.text[:80]!r}"
        assert reply.text == "Hello, Zoë, from Django!", f"GET /hello/Zo%C3%AB: {reply.text[:80]!r}"
        reply = fetch(server, "POST", "/echo?x=1", content=b"a=b")
        assert reply.status_code == 200, f"POST /echo: {reply.status_code} {reply.text[:80]!r}"
        want = {"method": "POST", "path": "/echo", "query": {"x": "1"}, "body": "a=b",
                "host": f"127.0.0.1:{server.port}", "absolute": f"{server.url}/echo?x=1", "remote": "127.0.0.1"}
        assert reply.json() == want, f"POST /echo: Django saw {reply.json()}"
        reply = fetch(server, "GET", "/nowhere")
        assert reply.status_code == 404, f"GET /nowhere: {reply.status_code}, want Django's 404"
