"""Print what passes between a server and an app, as it happens.

    from onthewire.trace import traced, traced_wsgi
    app = traced(asgi_app)        # ASGI: each scope, each receive() and send() message
    app = traced_wsgi(wsgi_app)   # WSGI: environ, start_response(), each body item, close()

Both wrap an app in a middleware that writes one line (or a few) per event to a stream, and
changes nothing else. `wire trace APP` (onthewire.cli) serves APP wrapped so, under uvicorn,
or under wsgiref with `--wsgi`. Bodies are cut after `limit` bytes; header names and values are decoded;
`stable=True` hides what changes from run to run (ports, the machine's name, times), for pages.

ASGI: https://asgi.readthedocs.io/en/latest/specs/main.html; WSGI: https://peps.python.org/pep-3333/
"""

from __future__ import annotations

import itertools
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TextIO

ASGIApp = Callable[..., Any]
WSGIApp = Callable[..., Iterable[bytes]]
BODY_LIMIT = 60

_PORT = re.compile(r"\b(127\.0\.0\.1|localhost|\[::1\]):\d+")
# The environ keys worth reading: CGI's and wsgi.*. HTTP_* keys are added; the rest of a
# wsgiref environ is the server process's own environment, copied in (noise, maybe secrets).
_CGI_KEYS = ("REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE", "CONTENT_LENGTH",
             "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "REMOTE_ADDR")
_WSGI_KEYS = ("wsgi.version", "wsgi.url_scheme", "wsgi.input", "wsgi.errors", "wsgi.multithread",
              "wsgi.multiprocess", "wsgi.run_once")


# --- Writing lines ---------------------------------------------------------------------------

class _Printer:
    """Numbers requests and connections, and writes each event as whole lines under a lock."""

    def __init__(self, out: TextIO | None, limit: int, stable: bool, brief: bool, verb_width: int) -> None:
        self.out = out
        self.verb_width = verb_width
        self.limit = limit
        self.stable = stable
        self.brief = brief
        self.started = time.perf_counter()
        self._lock = threading.Lock()
        self._requests = itertools.count(1)
        self._connections: dict[Any, int] = {}

    def next_request(self) -> int:
        with self._lock:
            return next(self._requests)

    def connection(self, client: Any) -> tuple[int, bool]:
        """(connection number, new?) for a client address: requests from the same client port
        came on the same connection (keep-alive)."""
        with self._lock:
            if client is None:
                return 0, True
            key = tuple(client)
            if key in self._connections:
                return self._connections[key], False
            self._connections[key] = number = len(self._connections) + 1
            return number, True

    def emit(self, label: str, verb: str, text: str, more: Sequence[str] = ()) -> None:
        width = self.verb_width
        head = f"{label:<8} {verb:<{width}} {text}".rstrip()
        lines = [head, *(f"{'':<8} {'':<{width}}   {line}".rstrip() for line in more)]
        if not self.stable:
            elapsed = time.perf_counter() - self.started
            lines = [f"{elapsed:8.3f}  {line}" if i == 0 else f"{'':8}  {line}" for i, line in enumerate(lines)]
        else:
            lines = [_PORT.sub(r"\1:<port>", line) for line in lines]
        out = self.out if self.out is not None else sys.stdout
        with self._lock:
            out.write("\n".join(lines) + "\n")
            out.flush()

    def data(self, value: bytes | str | None) -> str:
        """Bytes or text, cut after `limit` bytes (or characters) with the full length given."""
        if value is None:
            return "None"
        if len(value) <= self.limit:
            return repr(value)
        unit = "bytes" if isinstance(value, (bytes, bytearray)) else "characters"
        return f"{value[: self.limit]!r}... ({len(value)} {unit})"


def _decoded(headers: Iterable[tuple[Any, Any]]) -> list[str]:
    """ASGI headers are (bytes, bytes) pairs; shown as `name: value`, decoded as latin-1."""
    lines = []
    for name, value in headers:
        name = name.decode("latin-1") if isinstance(name, (bytes, bytearray)) else str(name)
        value = value.decode("latin-1") if isinstance(value, (bytes, bytearray)) else str(value)
        lines.append(f"{name}: {value}")
    return lines


def _pairs(headers: Iterable[tuple[Any, Any]]) -> str:
    """Headers on one line, as (name, value) pairs of decoded text."""
    return repr([tuple(line.split(": ", 1)) for line in _decoded(headers)])


def _address(address: Any) -> str:
    if isinstance(address, (list, tuple)) and len(address) == 2:
        return f"{address[0]}:{address[1]}"
    return repr(address)


def _cut(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


# --- ASGI --------------------------------------------------------------------------------------

def traced(app: ASGIApp, out: TextIO | None = None, *, limit: int = BODY_LIMIT, stable: bool = False,
           brief: bool = False, name: str = "") -> ASGIApp:
    """`app` wrapped in an ASGI middleware that writes each scope, receive() and send() to `out`
    (sys.stdout by default) as it happens.

    `limit`: bytes of a body shown; `stable`: no times, ports masked; `brief`: the scope and
    headers on one line each, for pages that show many requests; `name`: put before each
    request's number, to tell two tracers apart.
    """
    printer = _Printer(out, limit, stable, brief, verb_width=7)

    async def tracing(scope: dict, receive: Callable, send: Callable) -> None:
        label = f"{name}lifespan" if scope.get("type") == "lifespan" else f"{name}#{printer.next_request()}"
        _scope(printer, label, scope)

        async def traced_receive() -> dict:
            try:
                message = await receive()
            except BaseException as exc:
                printer.emit(label, "receive", f"raised {_error(exc)}")
                raise
            _message(printer, label, "receive", message)
            return message

        async def traced_send(message: dict) -> None:
            _message(printer, label, "send", message)
            try:
                await send(message)
            except BaseException as exc:
                printer.emit(label, "send", f"raised {_error(exc)}")
                raise
            if message.get("type") == "lifespan.startup.complete" and scope.get("state"):
                printer.emit(label, "", f"state is now {_cut(repr(scope['state']))}")

        try:
            await app(scope, traced_receive, traced_send)
        except BaseException as exc:
            printer.emit(label, "app", f"raised {_error(exc)}")
            raise
        printer.emit(label, "app", "returned")

    return tracing


def _scope(printer: _Printer, label: str, scope: dict) -> None:
    kind = scope.get("type")
    if kind in ("http", "websocket"):
        number, new = printer.connection(scope.get("client"))
        where = "no client address" if not number else f"connection {number}" + ("" if new else ", kept alive")
        target = scope.get("path", "") + (f"?{scope['query_string'].decode('latin-1')}" if scope.get("query_string") else "")
        title = f"{kind} {scope.get('method', '')} {target}".replace("  ", " ")
        if printer.brief:
            state = f" state={_cut(repr(scope['state']))}" if scope.get("state") else ""
            printer.emit(label, "scope", f"{title}  ({where}){state}")
            return
        printer.emit(label, "scope", f"{title}  ({where})", _scope_lines(printer, scope))
        return
    if printer.brief:
        printer.emit(label, "scope", f"{kind}")
        return
    printer.emit(label, "scope", f"{kind}", _scope_lines(printer, scope))


def _scope_lines(printer: _Printer, scope: dict) -> list[str]:
    lines = []
    for key, value in scope.items():
        if key == "headers":
            decoded = _decoded(value) or ["(none)"]
            lines.append(f"{key:<13} {decoded[0]}")
            lines.extend(f"{'':<13} {line}" for line in decoded[1:])
        elif key in ("client", "server"):
            lines.append(f"{key:<13} {_address(value)}")
        elif key == "state":
            lines.append(f"{key:<13} {_cut(repr(value))}")
        else:
            lines.append(f"{key:<13} {value!r}")
    return lines


def _message(printer: _Printer, label: str, verb: str, message: dict) -> None:
    parts = [str(message.get("type"))]
    more: list[str] = []
    for key, value in message.items():
        if key == "type":
            continue
        if key == "headers":
            decoded = _decoded(value)
            if printer.brief or not decoded:
                parts.append(f"headers={_pairs(value)}")
            else:
                more.extend(decoded)
        elif key in ("body", "bytes", "text"):
            parts.append(f"{key}={printer.data(value)}")
        else:
            parts.append(f"{key}={value!r}")
    printer.emit(label, verb, " ".join(parts), more)


# --- WSGI --------------------------------------------------------------------------------------

def traced_wsgi(app: WSGIApp, out: TextIO | None = None, *, limit: int = BODY_LIMIT, stable: bool = False,
                brief: bool = False, name: str = "") -> WSGIApp:
    """`app` wrapped in a WSGI middleware that writes to `out` (sys.stdout by default) the
    environ, each wsgi.input read, start_response() and write() calls, each item of the body
    as the server takes it, and close().

    `limit`, `stable`, `brief` and `name` as for `traced`.
    """
    printer = _Printer(out, limit, stable, brief, verb_width=14)

    def tracing(environ: dict, start_response: Callable) -> Iterable[bytes]:
        label = f"{name}#{printer.next_request()}"
        _environ(printer, label, environ)
        environ["wsgi.input"] = _Input(environ["wsgi.input"], printer, label)

        def traced_start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable:
            shown = "None" if exc_info is None else f"({exc_info[0].__name__}, ...)"
            if printer.brief:
                printer.emit(label, "start_response", f"{status!r}, {headers!r}, exc_info={shown}")
            else:
                printer.emit(label, "start_response", f"{status!r}, exc_info={shown}", _decoded(headers))
            write = start_response(status, headers, exc_info) if exc_info is not None else start_response(status, headers)

            def traced_write(data: bytes) -> None:
                printer.emit(label, "write", printer.data(data))
                write(data)

            return traced_write

        try:
            result = app(environ, traced_start_response)
        except BaseException as exc:
            printer.emit(label, "app", f"raised {_error(exc)}")
            raise
        printer.emit(label, "app", f"returned a {type(result).__name__}")
        return _Body(result, printer, label)

    return tracing


def _environ(printer: _Printer, label: str, environ: dict) -> None:
    target = environ.get("PATH_INFO", "") + (f"?{environ['QUERY_STRING']}" if environ.get("QUERY_STRING") else "")
    title = f"{environ.get('REQUEST_METHOD', '')} {target}"
    if printer.brief:
        printer.emit(label, "environ", title)
        return
    keys = [k for k in _CGI_KEYS if k in environ]
    keys += sorted(k for k in environ if k.startswith("HTTP_"))
    keys += [k for k in _WSGI_KEYS if k in environ]
    width = max(map(len, keys), default=0)
    lines = []
    for key in keys:
        value = environ[key]
        if printer.stable and key == "SERVER_NAME":
            value = "<this machine>"  # wsgiref puts the machine's name here
        if printer.stable and key == "SERVER_PORT":
            value = "<port>"
        shown = repr(value) if isinstance(value, (str, bytes, bool, tuple, int)) else f"<{type(value).__name__}>"
        lines.append(f"{key:<{width}} {shown}")
    printer.emit(label, "environ", title, lines)


class _Input:
    """wsgi.input, with each read reported."""

    def __init__(self, stream: Any, printer: _Printer, label: str) -> None:
        self._stream, self._printer, self._label = stream, printer, label

    def _report(self, call: str, data: Any) -> Any:
        shown = self._printer.data(data) if isinstance(data, (bytes, bytearray)) else repr(data)
        self._printer.emit(self._label, "wsgi.input", f"{call} -> {shown}")
        return data

    def read(self, *args: Any) -> bytes:
        return self._report(f"read({', '.join(map(repr, args))})", self._stream.read(*args))

    def readline(self, *args: Any) -> bytes:
        return self._report(f"readline({', '.join(map(repr, args))})", self._stream.readline(*args))

    def readlines(self, *args: Any) -> list[bytes]:
        return self._report("readlines()", self._stream.readlines(*args))

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line


class _Body:
    """The app's iterable, with each item the server takes, and close(), reported."""

    def __init__(self, result: Iterable[bytes], printer: _Printer, label: str) -> None:
        self._result, self._printer, self._label = result, printer, label
        self._items = 0

    def __iter__(self) -> Iterator[bytes]:
        iterator = iter(self._result)
        while True:
            try:
                item = next(iterator)
            except StopIteration:
                self._printer.emit(self._label, "body", f"ended after {self._items} item{'s' * (self._items != 1)}")
                return
            except BaseException as exc:
                self._printer.emit(self._label, "body", f"raised {_error(exc)}")
                raise
            self._items += 1
            self._printer.emit(self._label, "body", f"item {self._items}: {self._printer.data(item)}")
            yield item

    def close(self) -> None:
        has_close = hasattr(self._result, "close")
        self._printer.emit(self._label, "close", "close()" if has_close else "close() (the iterable has none: nothing to call)")
        if has_close:
            self._result.close()
