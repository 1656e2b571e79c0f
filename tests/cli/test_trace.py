"""`wire trace APP` as a learner uses it: an app of their own, from the current folder, traced
under a real server and driven by httpx; bad input in one line with exit 2; Ctrl-C and kill
stop it cleanly. And the tracer as a library, writing to the stream it is given."""

from __future__ import annotations

import asyncio
import io
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from onthewire.serving import serving_wsgi
from onthewire.trace import traced, traced_wsgi

WIRE = str(Path(sys.executable).parent / "wire")

APPS = {
    "rawapp.py": '''
        async def app(scope, receive, send):
            if scope["type"] == "lifespan":
                while (await receive())["type"] != "lifespan.shutdown":
                    await send({"type": "lifespan.startup.complete"})
                await send({"type": "lifespan.shutdown.complete"})
                return
            body = b""
            while True:
                message = await receive()
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            await send({"type": "http.response.start", "status": 201, "headers": [(b"x-raw", b"yes")]})
            await send({"type": "http.response.body", "body": b"got %d bytes" % len(body)})
    ''',
    "starlette_app.py": '''
        from starlette.applications import Starlette
        from starlette.responses import PlainTextResponse
        from starlette.routing import Route

        async def hello(request):
            return PlainTextResponse("Hello, " + request.query_params["name"])

        app = Starlette(routes=[Route("/hello", hello)])
    ''',
    "wsgiapp.py": '''
        def app(environ, start_response):
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"you sent ", body]

        not_callable = "an app?"
    ''',
    "broken.py": '''
        import nothing_by_this_name
    ''',
}


@pytest.fixture
def apps(tmp_path: Path) -> Path:
    for name, source in APPS.items():
        (tmp_path / name).write_text(textwrap.dedent(source))
    return tmp_path


def wire(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([WIRE, *args], capture_output=True, text=True, timeout=60, cwd=cwd)


def assert_bad_input(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    message = result.stderr.strip()
    assert message.startswith("wire: ") and "\n" not in message, message
    for word in words:
        assert word in message, message


# --- The command -------------------------------------------------------------------------------

def test_a_starlette_app_from_the_current_folder(apps: Path, wire_process: Callable, no_leftovers: None) -> None:
    with wire_process("trace", "starlette_app:app", cwd=apps, stderr=False) as wire:
        assert httpx.get(f"{wire.url}/hello?name=Ada", timeout=5).text == "Hello, Ada"
    out = wire.out
    assert wire.code == 0 and "Traceback" not in out + wire.err
    assert out.startswith("Tracing starlette_app:app (ASGI) under uvicorn on http://127.0.0.1:")
    for expected in ("lifespan receive lifespan.startup", "lifespan send    lifespan.startup.complete",
                     "#1       scope   http GET /hello?name=Ada  (connection 1)", "query_string  b'name=Ada'",
                     "host: 127.0.0.1:",
                     "#1       send    http.response.start status=200", "content-type: text/plain; charset=utf-8",
                     "#1       send    http.response.body body=b'Hello, Ada'", "lifespan receive lifespan.shutdown"):
        assert expected in out, expected
    assert out.endswith("Stopped.\n")


def test_a_raw_asgi_app_with_a_long_body_cut_after_60_bytes(apps: Path, wire_process: Callable, no_leftovers: None) -> None:
    body = bytes(range(65, 91)) * 10  # 260 bytes
    with wire_process("trace", "rawapp:app", cwd=apps, stderr=False) as wire:
        response = httpx.post(wire.url, content=body, timeout=5)
        assert (response.status_code, response.text) == (201, "got 260 bytes")
    out = wire.out
    assert f"http.request body={body[:60]!r}... (260 bytes) more_body=False" in out
    assert "x-raw: yes" in out  # headers decoded
    assert "body=b'got 260 bytes'" in out


def test_requests_on_one_connection_are_numbered_and_marked_kept_alive(apps: Path, wire_process: Callable, no_leftovers: None) -> None:
    with wire_process("trace", "rawapp:app", cwd=apps, stderr=False) as wire:
        with httpx.Client(timeout=5) as client:
            client.get(wire.url)
            client.get(wire.url)
    assert "#1       scope   http GET /  (connection 1)" in wire.out
    assert "#2       scope   http GET /  (connection 1, kept alive)" in wire.out


def test_a_wsgi_app_with_wsgi(apps: Path, wire_process: Callable, no_leftovers: None) -> None:
    with wire_process("trace", "--wsgi", "wsgiapp:app", cwd=apps, stderr=False) as wire:
        assert httpx.post(f"{wire.url}/x?y=1", content=b"hello", timeout=5).text == "you sent hello"
    out = wire.out
    assert wire.code == 0 and "Traceback" not in out + wire.err
    assert out.startswith("Tracing wsgiapp:app (WSGI) under wsgiref on http://127.0.0.1:")
    for expected in ("#1       environ        POST /x?y=1", "PATH_INFO            '/x'", "QUERY_STRING         'y=1'",
                     "CONTENT_LENGTH       '5'", "wsgi.url_scheme      'http'", "wsgi.input     read(5) -> b'hello'",
                     "start_response '200 OK', exc_info=None", "Content-Type: text/plain", "app            returned a list",
                     "item 1: b'you sent '", "item 2: b'hello'", "ended after 2 items", "close()"):
        assert expected in out, expected
    # only the interesting keys: not the server process's environment, which wsgiref copies in
    assert "PATH " not in out and "HOME" not in out


@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["ctrl-c", "term", "hangup"])
@pytest.mark.parametrize("kind", ["asgi", "wsgi"])
def test_stops_cleanly(apps: Path, kind: str, stop_with: int, wire_process: Callable, no_leftovers: None) -> None:
    args = ("rawapp:app",) if kind == "asgi" else ("--wsgi", "wsgiapp:app")
    with wire_process("trace", *args, cwd=apps, stop_with=stop_with, stderr=False) as wire:
        httpx.get(wire.url, timeout=5)
    assert wire.code == 0
    assert "Traceback" not in wire.out + wire.err
    assert wire.out.endswith("Stopped.\n")
    if kind == "asgi":  # a graceful stop: the app's lifespan shutdown ran
        assert "lifespan send    lifespan.shutdown.complete" in wire.out


def test_unknown_module_missing_attribute_not_callable(apps: Path) -> None:
    assert_bad_input(wire("trace", "nosuchmodule:app", cwd=apps), "cannot import 'nosuchmodule'")
    assert_bad_input(wire("trace", "rawapp:nothing", cwd=apps), "no attribute 'nothing'")
    assert_bad_input(wire("trace", "--wsgi", "wsgiapp:not_callable", cwd=apps), "is a str, not an app")
    assert_bad_input(wire("trace", "rawapp", cwd=apps), "module:attribute")
    assert_bad_input(wire("trace", "broken:app", cwd=apps), "nothing_by_this_name")


def test_the_wrong_kind_of_app_names_the_option(apps: Path) -> None:
    assert_bad_input(wire("trace", "wsgiapp:app", cwd=apps), "like a WSGI app", "--wsgi")
    assert_bad_input(wire("trace", "--wsgi", "rawapp:app", cwd=apps), "ASGI app", "without --wsgi")


def test_port_in_use(apps: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for args in (("rawapp:app",), ("--wsgi", "wsgiapp:app")):
            assert_bad_input(wire("trace", "--port", str(port), *args, cwd=apps), f"port {port} is in use", "--port")


def test_the_default_port_is_8000() -> None:
    from onthewire.cli import parser

    args = parser().parse_args(["trace", "hello:app"])
    assert (args.port, args.wsgi) == (8000, False)


# --- The library ---------------------------------------------------------------------------------

def test_traced_writes_each_message_to_its_stream_and_changes_nothing() -> None:
    async def app(scope, receive, send):
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"x" * 100})

    inbox = [{"type": "http.request", "body": b"hi", "more_body": False}]
    sent = []

    async def receive():
        return inbox.pop(0)

    async def send(message):
        sent.append(message)

    trace = io.StringIO()
    scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"", "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"127.0.0.1:5000")]}
    asyncio.run(traced(app, trace, limit=10, stable=True)(scope, receive, send))
    lines = trace.getvalue().splitlines()
    assert lines[0] == "#1       scope   http GET /  (connection 1)"
    assert any(line.split() == ["client", "127.0.0.1:<port>"] for line in lines)
    assert any(line.split() == ["headers", "host:", "127.0.0.1:<port>"] for line in lines)
    assert "#1       receive http.request body=b'hi' more_body=False" in lines
    assert "#1       send    http.response.body body=b'xxxxxxxxxx'... (100 bytes)" in lines
    assert lines[-1] == "#1       app     returned"
    assert sent[1]["body"] == b"x" * 100  # passed on untouched


def test_traced_reports_an_exception_and_lets_it_through() -> None:
    async def app(scope, receive, send):
        raise ValueError("boom")

    trace = io.StringIO()
    with pytest.raises(ValueError):
        asyncio.run(traced(app, trace, stable=True)({"type": "lifespan"}, None, None))
    assert trace.getvalue().splitlines()[-1] == "lifespan app     raised ValueError: boom"


def test_traced_wsgi_under_wsgiref(no_leftovers: None) -> None:
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"a"
        yield b"b" * 80

    trace = io.StringIO()
    with serving_wsgi(traced_wsgi(app, trace, stable=True)) as url:
        assert httpx.get(url, timeout=5).content == b"a" + b"b" * 80
    text = trace.getvalue()
    words = [line.split(None, 1) for line in text.splitlines()]
    assert ["SERVER_PORT", "'<port>'"] in words and ["SERVER_NAME", "'<this machine>'"] in words
    assert "#1       app            returned a generator" in text
    assert f"#1       body           item 2: {b'b' * 60!r}... (80 bytes)" in text
    assert text.splitlines()[-1] == "#1       close          close()"
