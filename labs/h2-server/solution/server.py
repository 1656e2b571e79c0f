"""An HTTP/2 server for ASGI apps, on asyncio and h2: cleartext HTTP/2 ("h2c") by prior knowledge.

    python server.py [--host 127.0.0.1] [--port 8080] [--grace 3] module:attr
    python server.py --certfile cert.pem --keyfile key.pem module:attr      HTTP/2 over TLS ("h2")

h2 does for HTTP/2 what h11 does for HTTP/1.1: it does no I/O. Give it the bytes a client sent
and it gives you events (RequestReceived, DataReceived, StreamEnded, WindowUpdated,
StreamReset, ConnectionTerminated); call its methods (send_headers, send_data, reset_stream,
close_connection) and data_to_send() gives you the frames to write. asyncio moves the bytes.

What HTTP/2 adds over the HTTP/1.1 server of the asgi-server lab, and what this lab is about:

1. one connection carries many requests at once, each on a stream of its own: each stream
   runs the app in an asyncio task of its own (RFC 9113 §5.1);
2. flow control, both ways (RFC 9113 §5.2, §6.9): the server may send a stream no more than
   the client's window allows, and waits for WINDOW_UPDATE when it is used up; it opens its
   own window again only as the app reads what the client uploaded;
3. a client can cancel one stream (RST_STREAM) without closing the connection;
4. either side ends the connection with GOAWAY, the server when it stops (RFC 9113 §6.8).
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
# Connection-specific header fields are not allowed in HTTP/2 (RFC 9113 §8.2.2); h2 refuses them.
HOP_BY_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"transfer-encoding", b"upgrade"}

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Loading the app (as in the asgi-server lab) ----------------------------------------------


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


# --- The scope of a request (as in the asgi-server lab, with HTTP/2's pseudo-headers) ---------


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


# --- One stream: one request, one call of the app ---------------------------------------------


class Stream:
    """A request on stream `id`: the app's receive() and send() for it, and its flow-control wait.

    The connection puts what arrives for this stream into `inbox`: ("http.request" message,
    number of flow-controlled bytes it stands for), or an http.disconnect message.
    """

    def __init__(self, connection: Connection, stream_id: int, scope: Scope) -> None:
        self.connection = connection
        self.id = stream_id
        self.scope = scope
        self.inbox: asyncio.Queue[tuple[Message, int]] = asyncio.Queue()
        self.window_open = asyncio.Event()  # set when the client may have given us more window
        self.closed = False  # reset by the client, or the connection went: nothing more goes out
        self.started = False  # the response headers went out
        self.finished = False  # the response's last frame (END_STREAM) went out
        self.task: asyncio.Task[None] | None = None

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

    async def receive(self) -> Message:
        """The app's receive(): the next piece of the body, or http.disconnect."""
        # Once the body is all read, this waits until the client goes (a reset, a closed connection).
        message, flow_controlled = await self.inbox.get()
        if message["type"] == "http.disconnect":
            self.inbox.put_nowait((message, 0))  # every later call hears it too
            return message
        if flow_controlled:
            # Flow control in (RFC 9113 §6.9): the app has taken these bytes, so the client may
            # send as many more. h2 sends WINDOW_UPDATE for the stream and the connection once
            # enough has been acknowledged to be worth a frame.
            self.connection.h2.acknowledge_received_data(flow_controlled, self.id)
            await self.connection.flush()
        return message

    async def send(self, message: Message) -> None:
        """The app's send(): http.response.start becomes HEADERS, http.response.body DATA frames."""
        if self.closed:
            raise ClientDisconnected(f"stream {self.id} was reset by the client")
        if message["type"] == "http.response.start":
            if self.started:
                raise RuntimeError("http.response.start sent twice")
            status = message["status"]
            headers = [(b":status", str(status).encode()), (b"server", SERVER_SOFTWARE)]
            for name, value in message.get("headers", []):
                if name.lower() not in HOP_BY_HOP:
                    headers.append((bytes(name).lower(), bytes(value)))
            self.connection.h2.send_headers(self.id, headers)
            self.started = True
            await self.connection.flush()
        elif message["type"] == "http.response.body":
            if not self.started:
                raise RuntimeError("http.response.body before http.response.start")
            if self.finished:
                raise RuntimeError("http.response.body after the response was complete")
            await self.send_body(message.get("body", b""), end_stream=not message.get("more_body", False))
        else:
            raise RuntimeError(f"unexpected ASGI message {message['type']!r}")

    async def send_body(self, data: bytes, end_stream: bool) -> None:
        """Send `data` in DATA frames, no more at a time than the client's window and frame size allow."""
        h2conn = self.connection.h2
        view = memoryview(data)
        while view:
            if self.closed:
                raise ClientDisconnected(f"stream {self.id} was reset by the client")
            # Flow control out (RFC 9113 §5.2, §6.9.1): the smaller of the stream's and the
            # connection's windows, which h2 keeps for us; and no frame over the client's
            # SETTINGS_MAX_FRAME_SIZE (16 KiB unless it says more, §4.2).
            allowed = min(h2conn.local_flow_control_window(self.id), h2conn.max_outbound_frame_size, len(view))
            if allowed <= 0:
                # Used up: wait for the client's WINDOW_UPDATE (window_updated() sets the event).
                self.window_open.clear()
                await self.window_open.wait()
                continue
            h2conn.send_data(self.id, bytes(view[:allowed]))
            view = view[allowed:]
            await self.connection.flush()
        if end_stream:
            if self.closed:
                raise ClientDisconnected(f"stream {self.id} was reset by the client")
            h2conn.end_stream(self.id)
            self.finished = True
            await self.connection.flush()

    def disconnect(self) -> None:
        """The stream is gone: receive() says http.disconnect, send() raises, a wait for window ends."""
        if not self.closed:
            self.closed = True
            self.inbox.put_nowait(({"type": "http.disconnect"}, 0))
            self.window_open.set()


# --- One connection: h2's state machine, and the streams on it --------------------------------


class Connection:
    """One client connection: h2's state machine for it, and a Stream per request in progress."""

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
        self.streams: dict[int, Stream] = {}
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
        """Dispatch one event from h2."""
        if isinstance(event, h2.events.RequestReceived):
            self.request_received(event)
        elif isinstance(event, h2.events.DataReceived):
            self.data_received(event)
        elif isinstance(event, h2.events.StreamEnded):
            stream = self.streams.get(event.stream_id)
            if stream is not None:
                stream.inbox.put_nowait(({"type": "http.request", "body": b"", "more_body": False}, 0))
        elif isinstance(event, (h2.events.WindowUpdated, h2.events.RemoteSettingsChanged)):
            self.window_updated(getattr(event, "stream_id", 0))
        elif isinstance(event, h2.events.StreamReset):
            self.stream_reset(event)
        elif isinstance(event, h2.events.ConnectionTerminated):
            self.connection_terminated(event)
        # The others (SettingsAcknowledged, PingReceived, PriorityUpdated...) need nothing from
        # us: h2 has already queued the answer a PING or a SETTINGS needs.

    def request_received(self, event: h2.events.RequestReceived) -> None:
        """A new stream: build its scope and run the app for it in a task of its own."""
        if self.stopping:
            # A stream opened after we decided to stop: the client may retry it elsewhere (§8.7).
            self.h2.reset_stream(event.stream_id, ErrorCodes.REFUSED_STREAM)
            return
        scope = build_scope(list(event.headers), self.client, self.sockname)
        stream = Stream(self, event.stream_id, scope)
        self.streams[event.stream_id] = stream
        # Streams are independent (RFC 9113 §5): while one app waits, the others go on.
        stream.task = asyncio.create_task(stream.run(self.server.app))
        self.tasks.add(stream.task)
        stream.task.add_done_callback(self.tasks.discard)

    def data_received(self, event: h2.events.DataReceived) -> None:
        """A piece of a request body: queue it for the app's receive()."""
        stream = self.streams.get(event.stream_id)
        if stream is None or stream.closed:
            # Nobody will read it: give the window back at once, or the whole connection starves.
            self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
            return
        message = {"type": "http.request", "body": event.data, "more_body": True}
        stream.inbox.put_nowait((message, event.flow_controlled_length))

    def window_updated(self, stream_id: int) -> None:
        """WINDOW_UPDATE (or new SETTINGS): wake the streams waiting for window."""
        # Stream 0 is the connection's window, shared by all streams (RFC 9113 §6.9).
        for stream in self.streams.values():
            if stream_id in (0, stream.id):
                stream.window_open.set()

    def stream_reset(self, event: h2.events.StreamReset) -> None:
        """RST_STREAM from the client: that request is cancelled, the others go on."""
        stream = self.streams.get(event.stream_id)
        if stream is not None:
            stream.disconnect()  # its receive() says http.disconnect; its send() raises

    def connection_terminated(self, event: h2.events.ConnectionTerminated) -> None:
        """GOAWAY from the client: it opens no more streams and wants the connection closed."""
        for stream in list(self.streams.values()):
            stream.disconnect()

    def stream_done(self, stream: Stream) -> None:
        """The app returned: forget the stream, and give back the window of a body it left unread."""
        self.streams.pop(stream.id, None)
        while not stream.inbox.empty():
            _, flow_controlled = stream.inbox.get_nowait()
            if flow_controlled:
                self.h2.acknowledge_received_data(flow_controlled, stream.id)

    async def shutdown(self, grace: float) -> None:
        """Stop: let the streams in progress finish (up to `grace` s), then GOAWAY and close."""
        self.stopping = True
        if self.tasks:
            _, late = await asyncio.wait(list(self.tasks), timeout=grace)
            for task in late:
                task.cancel()
        if not self.lost:
            # GOAWAY NO_ERROR, with the last stream we processed (RFC 9113 §6.8).
            self.h2.close_connection(error_code=ErrorCodes.NO_ERROR)
            await self.flush()
        self.lost = True
        self.writer.close()


class Server:
    """The connections of the listening socket, each served by a task of its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.connections: set[Connection] = set()

    async def handle_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connection = Connection(self, reader, writer)
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


async def serve(app: ASGIApp, host: str, port: int, name: str, grace: float,
                tls: ssl.SSLContext | None = None) -> None:
    """Serve until SIGINT or SIGTERM, then stop gracefully."""
    server = Server(app)
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


def main(argv: list[str] | None = None) -> int:
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
        asyncio.run(serve(app, args.host, args.port, args.app, args.grace, tls))
    except OSError as e:
        print(f"server.py: cannot listen on {args.host}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
