"""The given half of the HTTP/2 server: what is as in the asgi-server lab, and h2's plumbing.

Read it, no need to edit it. server.py, your half, is what HTTP/2 adds: streams, flow control
both ways, resets and GOAWAY. Here:

- load_app() and build_scope(): as in the asgi-server lab, the scope with HTTP/2's pseudo-headers;
- StreamBase: calling the app for a stream (its errors become a 500, or a reset once the
  headers went out), and disconnect();
- ConnectionBase: the socket and h2's state machine; run() reads frames, hands h2's events to
  server.py's Connection.handle() and writes what h2 queues (flush());
- Server, tls_context(), serve() and main(): the listening socket, TLS with ALPN "h2", the
  signals that stop the server, and the command line.

h2 does for HTTP/2 what h11 does for HTTP/1.1: it does no I/O. Give it the bytes a client sent
and it gives you events; call its methods and data_to_send() gives you the frames to write.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import signal
import ssl
import sys
import traceback
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import unquote

import h2.config
import h2.connection
import h2.events
import h2.exceptions
from h2.connection import ConnectionState
from h2.errors import ErrorCodes

READ_SIZE = 64 * 1024  # bytes asked of the socket at a time
GRACE = 3.0  # default --grace: seconds streams in progress get to finish when the server stops
SERVER_SOFTWARE = b"onthewire-h2/1.0"
# Connection-specific header fields are not allowed in HTTP/2 (RFC 9113 §8.2.2). h2 drops them itself
# (and lower-cases names) while its normalize_outbound_headers setting is on, as by default.
HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"transfer-encoding", b"upgrade"}

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class AppLoadError(Exception):
    """APP names nothing importable: main() prints this one line and exits with code 2."""


def load_app(spec: str) -> ASGIApp:
    """Import the ASGI application named by `module:attr` (the notation of uvicorn and gunicorn)."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise AppLoadError(f"APP must be module:attribute, like hello:app, not {spec!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise AppLoadError(f"cannot import {module_name!r} for APP {spec!r}: {e}") from None
    app = getattr(module, attr, None)
    if app is None:
        raise AppLoadError(f"module {module_name!r} has no attribute {attr!r} (APP {spec!r})")
    if not callable(app):
        raise AppLoadError(f"{spec} is a {type(app).__name__}, not a callable ASGI app")
    return app


class ClientDisconnected(OSError):
    """send() after the client reset the stream or left (ASGI "Disconnected Client - send exception")."""


def build_scope(headers: list[tuple[bytes, bytes]], client: tuple[str, int], server: tuple[str, int]) -> Scope:
    """The ASGI HTTP scope of a request that arrived as the header block `headers`."""
    pseudo = {name: value for name, value in headers if name.startswith(b":")}
    regular = [(name, value) for name, value in headers if not name.startswith(b":")]
    # RFC 9113 §8.3.1: :authority replaces Host. Frameworks build URLs from the host header.
    if b":authority" in pseudo and not any(name == b"host" for name, _ in regular):
        regular.insert(0, (b"host", pseudo[b":authority"]))
    target = pseudo.get(b":path", b"/")
    raw_path, _, query = target.partition(b"?")
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "2",
        "method": pseudo.get(b":method", b"GET").decode("ascii"),
        "scheme": pseudo.get(b":scheme", b"http").decode("ascii"),
        "path": unquote(raw_path.decode("latin-1"), encoding="utf-8", errors="surrogateescape"),
        "raw_path": raw_path,
        "query_string": query,
        "root_path": "",
        "headers": regular,
        "client": client,
        "server": server,
        "extensions": {},
    }


class Server:
    """The connections of the listening socket, each served by a task of its own."""

    def __init__(self, app: ASGIApp, connection_class: type[ConnectionBase]) -> None:
        self.app = app
        self.connection_class = connection_class  # server.py's Connection
        self.connections: set[ConnectionBase] = set()

    async def handle_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = self.connection_class(self, reader, writer)
        self.connections.add(connection)
        try:
            await connection.run()
        except asyncio.CancelledError:
            pass  # the server is stopping
        except Exception:
            log("Error on a connection:\n" + traceback.format_exc().rstrip())
        finally:
            self.connections.discard(connection)

    async def shutdown(self, grace: float) -> None:
        """GOAWAY on every connection, once its streams in progress are done (or `grace` s passed)."""
        if self.connections:
            await asyncio.gather(*(c.shutdown(grace) for c in list(self.connections)), return_exceptions=True)


def tls_context(certfile: str, keyfile: str) -> ssl.SSLContext:
    """A server TLS context that offers only "h2" in ALPN (RFC 7301; RFC 9113 §3.2, §9.2)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2  # RFC 9113 §9.2: TLS 1.2 or later
    context.load_cert_chain(certfile, keyfile)
    context.set_alpn_protocols(["h2"])
    return context


async def serve(app: ASGIApp, connection_class: type[ConnectionBase], host: str, port: int, name: str, grace: float,
                tls: ssl.SSLContext | None = None) -> None:
    """Serve until SIGINT or SIGTERM, then stop gracefully."""
    server = Server(app, connection_class)
    listener = await asyncio.start_server(server.handle_connection, host, port, ssl=tls)
    how = "h2, over TLS" if tls else "h2c, prior knowledge"
    log(f"Serving {name} over HTTP/2 ({how}) on {'https' if tls else 'http'}://{host}:{port} (Ctrl-C stops)")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    log(f"Stopping: no new connections; streams in progress get up to {grace:g} s, then GOAWAY.")
    listener.close()
    await server.shutdown(grace)
    log("Stopped.")


def main(connection_class: type[ConnectionBase], argv: list[str] | None = None) -> int:
    """The command line: serve the app with server.py's Connection; the exit code."""
    parser = argparse.ArgumentParser(description="Serve an ASGI 3 app over HTTP/2 (asyncio and h2).")
    parser.add_argument("app", metavar="APP", help="the app as module:attribute, like hello:app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--grace", type=float, default=GRACE,
                        help=f"seconds streams in progress get to finish when stopping (default {GRACE:g})")
    parser.add_argument("--certfile", help="serve HTTP/2 over TLS with this certificate (PEM)")
    parser.add_argument("--keyfile", help="the certificate's private key (PEM)")
    args = parser.parse_args(argv)
    try:
        tls = tls_context(args.certfile, args.keyfile) if args.certfile else None
    except (OSError, ssl.SSLError) as e:
        print(f"server.py: cannot use the certificate {args.certfile}: {e}", file=sys.stderr)
        return 2
    try:
        app = load_app(args.app)
    except AppLoadError as e:
        print(f"server.py: {e}", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(app, connection_class, args.host, args.port, args.app, args.grace, tls))
    except OSError as e:
        print(f"server.py: cannot listen on {args.host}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


class StreamBase:
    """The given part of server.py's Stream: calling the app (and its errors), and disconnect()."""

    # Set by server.py's Stream.__init__, which says what each means.
    connection: ConnectionBase
    id: int
    scope: Scope
    inbox: asyncio.Queue[tuple[Message, int]]
    window_open: asyncio.Event
    closed: bool
    started: bool
    finished: bool
    receive: Receive
    send: Send

    async def send_body(self, data: bytes, end_stream: bool) -> None:
        raise NotImplementedError  # server.py's Stream.send_body()

    async def run(self, app: ASGIApp) -> None:
        """Call the app for this request; an error becomes a 500, or a reset once headers went out."""
        try:
            await app(self.scope, self.receive, self.send)
        except asyncio.CancelledError:
            raise
        except Exception:
            if not self.closed:  # after a reset, an error from send() is what the spec asks for
                log(f"Error in the app on stream {self.id}:\n" + traceback.format_exc().rstrip())
        finally:
            self.connection.stream_done(self)
        if self.closed or self.finished:
            return
        try:
            if not self.started:
                # ASGI main spec, "Error Handling": a 500 while nothing has gone out.
                body = b"Internal Server Error\n"
                headers = [(b":status", b"500"), (b"content-type", b"text/plain"),
                           (b"content-length", b"%d" % len(body))]
                self.connection.h2.send_headers(self.id, headers)
                await self.send_body(body, end_stream=True)
            else:
                # Half a response: RST_STREAM tells the client it is incomplete (RFC 9113 §6.4).
                self.connection.h2.reset_stream(self.id, ErrorCodes.INTERNAL_ERROR)
                await self.connection.flush()
        except (h2.exceptions.H2Error, ClientDisconnected):
            pass  # the stream or the connection closed meanwhile: nobody to tell

    def disconnect(self) -> None:
        """The stream is gone: receive() says http.disconnect, send() raises, a wait for window ends."""
        if not self.closed:
            self.closed = True
            self.inbox.put_nowait(({"type": "http.disconnect"}, 0))
            self.window_open.set()


class ConnectionBase:
    """The given part of server.py's Connection: the socket, h2's state machine, the read loop
    (run) that feeds h2 and hands its events to handle(), and flush(), which writes what h2 queued."""

    def __init__(self, server: Server, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        config = h2.config.H2Configuration(client_side=False, header_encoding=None)
        self.h2 = h2.connection.H2Connection(config=config)
        self.server = server
        self.reader = reader
        self.writer = writer
        host, port = writer.get_extra_info("sockname")[:2]
        self.sockname = (host, port)
        peer = writer.get_extra_info("peername")
        self.client = (peer[0], peer[1]) if peer else ("", 0)
        self.streams: dict[int, StreamBase] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.stopping = False  # the server is stopping: refuse new streams
        self.lost = False  # the socket is gone or closed: write nothing more

    async def flush(self) -> None:
        """Write whatever frames h2 has queued, and wait while the socket's buffer is full."""
        data = self.h2.data_to_send()
        if data and not self.lost:
            try:
                self.writer.write(data)
                await self.writer.drain()
            except (ConnectionError, RuntimeError):
                self.lost = True

    async def run(self) -> None:
        """Read frames until the client leaves, sends GOAWAY or breaks the protocol."""
        tls = self.writer.get_extra_info("ssl_object")
        if tls is not None and tls.selected_alpn_protocol() != "h2":
            log(f"Closing a TLS connection from {self.client[0]}: it did not choose h2 with ALPN")
            self.writer.close()
            return
        self.h2.initiate_connection()  # our SETTINGS: the server's half of the preface (RFC 9113 §3.4)
        await self.flush()
        try:
            while not self.lost:
                try:
                    data = await self.reader.read(READ_SIZE)
                except ConnectionError:
                    data = b""
                if not data:
                    break
                try:
                    events = self.h2.receive_data(data)
                except h2.exceptions.ProtocolError as e:
                    # Not HTTP/2, or HTTP/2 broken: h2 has queued a GOAWAY saying why (RFC 9113
                    # §5.4.1), except for a wrong preface, where h2 leaves it to us (§3.4).
                    log(f"Closing a connection from {self.client[0]}: {type(e).__name__}: {e}")
                    if self.h2.state_machine.state is not ConnectionState.CLOSED:
                        self.h2.close_connection(error_code=ErrorCodes.PROTOCOL_ERROR)
                    await self.flush()
                    break
                for event in events:
                    self.handle(event)
                await self.flush()
                if self.h2.state_machine.state is ConnectionState.CLOSED:
                    break  # the client's GOAWAY (ConnectionTerminated) ended the connection
        finally:
            for stream in list(self.streams.values()):
                stream.disconnect()
            for task in list(self.tasks):
                task.cancel()
            if self.tasks:
                await asyncio.wait(self.tasks, timeout=1)
            self.lost = True
            self.writer.close()
            try:
                await self.writer.wait_closed()
            except (ConnectionError, OSError):
                pass

    def handle(self, event: h2.events.Event) -> None:
        raise NotImplementedError  # server.py's Connection.handle()

    def stream_done(self, stream: StreamBase) -> None:
        """The app returned: forget the stream, and give back the window of a body it left unread."""
        self.streams.pop(stream.id, None)
        while not stream.inbox.empty():
            _, flow_controlled = stream.inbox.get_nowait()
            if flow_controlled:
                self.h2.acknowledge_received_data(flow_controlled, stream.id)
