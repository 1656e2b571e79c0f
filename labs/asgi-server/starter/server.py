"""An ASGI server: serves any ASGI 3 application over HTTP/1.1, as uvicorn does, on asyncio and h11.

    python server.py [--host 127.0.0.1] [--port 8080] [--timeout 5] [--grace 3] module:attr

h11 parses and frames HTTP/1.1 without doing any I/O: give it bytes and it gives you events
(Request, Data, EndOfMessage, ConnectionClosed); give it events and it gives you bytes. asyncio
moves the bytes. What is left is the glue this lab is about: turning h11's events into the
messages an ASGI app receives, and the messages the app sends into h11's events.

The file reads in the order of a server's life:

1. the command line names the app as module:attr, and we import it;
2. lifespan: the app starts up before the first connection is accepted;
3. the HTTP layer (given) reads h11 events from a connection and writes h11 events to it;
4. each request becomes a scope;
5. receive() and send() translate between h11 events and ASGI messages;
6. the app is called, and its errors become a 500 or a closed connection;
7. each connection carries request after request (keep-alive);
8. SIGINT or SIGTERM stops the server gracefully, and the app shuts down.

The ASGI parts are yours to write: look for the TODO marks. Each names the section of the spec
that sets the rule: https://asgi.readthedocs.io/en/latest/specs/www.html (HTTP) and
https://asgi.readthedocs.io/en/latest/specs/lifespan.html (lifespan).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import signal
import sys
import traceback
from collections.abc import Awaitable, Callable
from email.utils import formatdate
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

import h11

MAX_HEAD_BYTES = 16 * 1024  # request line + headers; h11 refuses a longer head with 431
MAX_BODY_BYTES = 1024 * 1024  # largest request body accepted; more is refused with 413
READ_SIZE = 64 * 1024  # bytes asked of the socket at a time
IDLE_TIMEOUT = 5.0  # default --timeout: seconds a client may stay silent (between requests, mid-body)
GRACE = 3.0  # default --grace: seconds requests in progress get to finish when the server stops
LINGER = 1.0  # seconds to go on reading after refusing a request, before closing (see close())
SERVER_SOFTWARE = b"onthewire-asgi/1.0"

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Headers = list[tuple[bytes, bytes]]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- 1. Loading the app ----------------------------------------------------------------------


class AppLoadError(Exception):
    """APP names nothing importable: main() prints this one line and exits with code 2."""


def load_app(spec: str) -> ASGIApp:
    """Import the ASGI application named by `module:attr` (the notation of uvicorn and gunicorn)."""
    module_name, _, attr = spec.partition(":")
    # TODO: a wrong APP (no colon, no such module, no such attribute, not callable) is a
    # mistake on the command line, not a crash: raise AppLoadError with a one-line message
    # (main() prints it and exits with code 2). For now, a typo ends in a traceback.
    return getattr(importlib.import_module(module_name), attr)


# --- 2. Lifespan: startup and shutdown --------------------------------------------------------


class LifespanFailed(Exception):
    """The app answered lifespan.startup with lifespan.startup.failed: main() prints the message."""


class Lifespan:
    """The app's lifespan scope: one call of the app that lasts as long as the server.

    The server talks to that call through two queues: the app's receive() takes from
    `_to_app`, and its send() puts into `_from_app`. None in `_from_app` means the call has
    ended (the app returned or raised).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.state: dict[str, Any] = {}  # the app's namespace; each request scope gets a copy
        self.supported = False  # True once the app has completed its startup
        self._to_app: asyncio.Queue[Message] = asyncio.Queue()
        self._from_app: asyncio.Queue[Message | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._error: Exception | None = None

    async def startup(self) -> None:
        """Run the app's startup; return once it is done. LifespanFailed if the app says it failed."""
        # TODO: Lifespan spec (lifespan.html). For now the app is never started up. Instead:
        #   - call the app with a lifespan scope, {"type": "lifespan", "asgi": {"version": "3.0",
        #     "spec_version": "2.0"}, "state": self.state}, in a task of its own (self._run);
        #   - give it {"type": "lifespan.startup"} and wait for its answer: on
        #     lifespan.startup.complete set self.supported; on lifespan.startup.failed raise
        #     LifespanFailed with its message ("Startup Failed");
        #   - if the app raises (or returns) instead of answering, log one line and serve it
        #     without lifespan: "the server must continue but not send any lifespan events"
        #     ("Scope"). That is how Django's ASGI app says it has no lifespan.

    async def shutdown(self, timeout: float) -> None:
        """Tell the app the server is stopping; wait (up to `timeout` s) for it to clean up."""
        # TODO: Lifespan spec, "Shutdown": if the startup completed, give the app
        # {"type": "lifespan.shutdown"} and wait, at most `timeout` seconds, for
        # lifespan.shutdown.complete or lifespan.shutdown.failed (log its message).

    async def _run(self, scope: Scope) -> None:
        """The lifespan call of the app; says when it ends by putting None in `_from_app`."""
        try:
            await self.app(scope, self._to_app.get, self._from_app.put)
        except Exception as e:
            self._error = e
            if self.supported:  # after a startup that worked, a failure is a real error
                log("The app's lifespan raised:\n" + traceback.format_exc().rstrip())
        finally:
            self._from_app.put_nowait(None)


# --- 3. HTTP with h11 (given) -----------------------------------------------------------------


def reason(status: int) -> bytes:
    """The reason phrase of a status line, like b"Not Found" (h11 sends none unless given one)."""
    try:
        return HTTPStatus(status).phrase.encode()
    except ValueError:
        return b""  # a code Python doesn't know: the phrase is optional (RFC 9112 §4)


class ClientDisconnected(OSError):
    """send() after the client has gone away (HTTP spec, "Disconnected Client - send exception")."""


class Connection:
    """One client connection: h11's state machine for it, and the two ends of its socket.

    h11 does no I/O: read_event() feeds it bytes from the socket until it has an event, and
    write() sends the bytes h11 makes of ours. Parsing, validation, framing and the keep-alive
    rules of HTTP/1.1 are h11's; this class only moves bytes and keeps time.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, timeout: float) -> None:
        self.h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES)
        self.reader = reader
        self.writer = writer
        self.timeout = timeout
        host, port = writer.get_extra_info("sockname")[:2]
        self.server = (host, port)  # where the client connected to
        peer = writer.get_extra_info("peername")  # None if the client has already gone
        self.client = (peer[0], peer[1]) if peer else ("", 0)
        self.idle = True  # waiting for a request (not serving one): shutdown may close it at once
        self.closing = False  # the server is stopping: say Connection: close, and close after this response
        self.lost = False  # the client hung up, or the server gave up on it: nothing more goes out
        self._linger = False  # we refused a request the client may still be sending

    async def read_event(self, timeout: float | None) -> h11.Event | type[h11.PAUSED]:
        """h11's next event, reading from the socket as h11 needs.

        A client silent for `timeout` seconds raises asyncio.TimeoutError; bytes that are not
        HTTP/1.1 raise h11.RemoteProtocolError (its error_status_hint is the status to answer);
        a client that hangs up is h11.ConnectionClosed.
        """
        while True:
            event = self.h11.next_event()
            if event is not h11.NEED_DATA:
                return event
            if self.h11.client_is_waiting_for_100_continue:
                # The client sent "Expect: 100-continue" and holds its body back until told to
                # go on (RFC 9110 §10.1.1). The body is read when the app asks for it: now.
                await self.write(h11.InformationalResponse(status_code=100, headers=[]))
            size = READ_SIZE
            if self.h11.their_state is h11.IDLE:
                # h11 refuses a head only while it is incomplete and longer than
                # max_incomplete_event_size: one read that brings a whole 20 KiB head would
                # get it past. So never hand h11 more than the limit of an unfinished head.
                size = max(1, MAX_HEAD_BYTES + 1 - len(self.h11.trailing_data[0]))
            self.h11.receive_data(await self._read(timeout, size))

    async def _read(self, timeout: float | None, size: int = READ_SIZE) -> bytes:
        try:
            return await asyncio.wait_for(self.reader.read(size), timeout)
        except ConnectionError:
            return b""  # a reset is a hang-up too

    async def write(self, *events: h11.Event) -> None:
        """Send h11 events: h11 turns them into bytes, and asyncio sends those."""
        if self.lost:
            raise ClientDisconnected("the client has gone away")
        data = b"".join(self.h11.send(event) for event in events)
        try:
            self.writer.write(data)
            await self.writer.drain()  # returns once the bytes are in the kernel's send buffer
        except ConnectionError as e:
            self.lost = True
            raise ClientDisconnected(f"the client has gone away ({e})") from None

    def server_headers(self, headers: Headers) -> Headers:
        """`headers` plus what a server adds: Date, Server, and Connection: close when it will close."""
        names = {name.lower() for name, _ in headers}
        added: Headers = []
        if b"date" not in names:
            added.append((b"date", formatdate(usegmt=True).encode()))  # RFC 9110 §6.6.1
        if b"server" not in names:
            added.append((b"server", SERVER_SOFTWARE))
        # A client told to wait for "100 Continue" that gets a final answer instead may never
        # send its body, so the connection can't carry another request (RFC 9110 §10.1.1).
        if self.closing or self.h11.client_is_waiting_for_100_continue:
            added.append((b"connection", b"close"))
        return [*headers, *added]

    async def send_error(self, status: int, with_body: bool = True) -> None:
        """A short plain-text response to a request no app answers; the connection closes after it.

        `with_body` is False for an answer to HEAD, which has headers only.
        """
        if self.lost or self.h11.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return  # the client is gone, or a response is under way: closing is all that's left
        body = b"%d %s\n" % (status, reason(status))
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")]
        response = h11.Response(status_code=status, headers=self.server_headers(headers), reason=reason(status))
        events: list[h11.Event] = [response]
        if with_body:
            events.append(h11.Data(data=body))
        events.append(h11.EndOfMessage())
        self._linger = True
        try:
            await self.write(*events)
        except ClientDisconnected:
            pass

    async def wait_for_hangup(self, until: asyncio.Event) -> bool:
        """Wait until the client closes the connection (True), or until `until` is set (False).

        For a request whose body has been read: the client owes nothing more until the response
        is done, so a read ends only when it hangs up, or when it pipelines its next request
        (h11 keeps those bytes for later).
        """
        while not until.is_set():
            if len(self.h11.trailing_data[0]) > MAX_HEAD_BYTES:
                await until.wait()  # plenty of pipelined bytes: the client is there; read them later
                return False
            reading = asyncio.ensure_future(self._read(None))
            finishing = asyncio.ensure_future(until.wait())
            try:
                await asyncio.wait({reading, finishing}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                # Never leave a read running, even when this wait is cancelled: the next read
                # on the connection would collide with it, or the bytes it got would be lost.
                reading.cancel()
                finishing.cancel()
                await asyncio.wait({reading, finishing})
                data = None if reading.cancelled() else reading.result()
                if data is not None:
                    self.h11.receive_data(data)  # b"" tells h11 the client closed
            if data == b"":
                self.lost = True
                return True
        return False

    async def discard_body(self) -> bool:
        """Read and drop what is left of a request body the app didn't read, so that the next
        request on the connection can be read. False if that can't be done."""
        discarded = 0
        while self.h11.their_state is h11.SEND_BODY:
            try:
                event = await self.read_event(self.timeout)
            except (asyncio.TimeoutError, h11.RemoteProtocolError):
                return False
            if isinstance(event, h11.ConnectionClosed):
                return False
            if isinstance(event, h11.Data):
                discarded += len(event.data)
                if discarded > MAX_BODY_BYTES:
                    return False
        return True

    async def close(self) -> None:
        """Close the connection.

        After refusing a request the client may still be sending it. Closing a socket with
        unread bytes makes the kernel answer with a reset, which can destroy our response
        before the client reads it; so stop writing first, then read and drop what comes, for
        a moment at most (a "lingering close", as nginx calls it).
        """
        if self._linger and self.h11.their_state not in (h11.DONE, h11.MUST_CLOSE, h11.CLOSED):
            loop = asyncio.get_running_loop()
            deadline = loop.time() + LINGER
            try:
                self.writer.write_eof()
                while loop.time() < deadline:
                    if not await asyncio.wait_for(self.reader.read(READ_SIZE), deadline - loop.time()):
                        break  # the client has closed its side too
            except (asyncio.TimeoutError, OSError):
                pass
        self.writer.close()


def content_length(request: h11.Request) -> int:
    """The request's Content-Length (h11 has checked it is one number), or 0 without one."""
    for name, value in request.headers:
        if name == b"content-length":
            return int(value)
    return 0


# --- 4. The scope -----------------------------------------------------------------------------


def build_scope(
    request: h11.Request, server: tuple[str, int], client: tuple[str, int], state: dict[str, Any]
) -> Scope:
    """The scope of one HTTP request (HTTP spec, "HTTP Connection Scope")."""
    # TODO: HTTP spec, "HTTP Connection Scope". This is just enough for hello.py; add
    #   - asgi ({"version": "3.0", "spec_version": "2.4"}), http_version, scheme and root_path;
    #   - path without the query string and percent-decoded (/caf%C3%A9 is "/café"), raw_path
    #     (the path's bytes as sent), and query_string (bytes, not decoded);
    #   - client and server, each (host, port);
    #   - state: a shallow copy of the lifespan state (lifespan spec, "Lifespan State").
    return {
        "type": "http",
        "method": request.method.decode("ascii"),
        "path": request.target.decode("ascii"),
        "headers": list(request.headers),
    }


# --- 5. One request: receive() and send() -----------------------------------------------------


class RequestCycle:
    """One request and its response: the scope, and the receive() and send() the app is given."""

    def __init__(self, connection: Connection, request: h11.Request, state: dict[str, Any]) -> None:
        self.connection = connection
        self.request = request
        self.scope = build_scope(request, connection.server, connection.client, state)
        self.body_size = 0  # request body bytes delivered so far
        self.body_complete = False  # receive() has returned the last http.request (more_body False)
        self.status: int | None = None  # from http.response.start
        self.headers: Headers = []
        self.head_sent = False  # the status line and headers are on the wire
        self.response_complete = asyncio.Event()  # the last http.response.body has gone out
        self.pieces: list[bytes] = []  # TODO: the body, collected by send(); not needed once send() streams

    @property
    def summary(self) -> str:
        request = self.request
        return f'{self.connection.client[0]}:{self.connection.client[1]} - "{request.method.decode()} ' \
               f'{request.target.decode()} HTTP/{request.http_version.decode()}"'

    async def refuse(self, status: int) -> Message:
        """Give up on a request body: answer `status` if the app hasn't answered yet, and tell
        the app the client is gone (it is, as far as this request goes)."""
        if not self.head_sent:
            await self.connection.send_error(status, with_body=self.request.method != b"HEAD")
        self.connection.lost = True
        return {"type": "http.disconnect"}

    async def receive(self) -> Message:
        """The app's receive(): the request body as http.request messages, then http.disconnect."""
        # TODO: HTTP spec, "Request - receive event" and "Disconnect - receive event". For now
        # the whole body is collected before the app sees any of it, and a second call waits
        # forever. Instead:
        #   - return an http.request for each h11.Data as it arrives, with more_body=True, and
        #     an empty one with more_body=False at h11.EndOfMessage (set self.body_complete);
        #   - count the bytes (self.body_size): past MAX_BODY_BYTES, give up with
        #     `return await self.refuse(413)`: a chunked body announces no length to check
        #     beforehand. Give up the same way on a client that goes quiet mid-body
        #     (asyncio.TimeoutError: 408) or breaks the framing (h11.RemoteProtocolError: its
        #     error_status_hint);
        #   - return http.disconnect once the client has gone (h11.ConnectionClosed, or
        #     self.connection.lost) or the response is complete; after the body, wait for that
        #     with self.connection.wait_for_hangup(until=self.response_complete).
        if self.body_complete:
            await asyncio.Event().wait()  # nothing sets this Event: a second call waits forever
        body = b""
        while True:
            event = await self.connection.read_event(self.connection.timeout)
            if not isinstance(event, h11.Data):
                break  # h11.EndOfMessage (or h11.ConnectionClosed)
            body += event.data
        self.body_complete = True
        return {"type": "http.request", "body": body, "more_body": False}

    def body_allowed(self) -> bool:
        """False for responses that never have a body: to HEAD, and 204 and 304 (RFC 9110 §6.4.1)."""
        return self.request.method != b"HEAD" and self.status not in (204, 304)

    async def send(self, message: Message) -> None:
        """The app's send(): http.response.start, then http.response.body until more_body is False."""
        # TODO: HTTP spec, "Response Start - send event", "Response Body - send event" and
        # "Disconnected Client - send exception". For now the body is collected and sent whole
        # at the end, with a Content-Length. Instead:
        #   - http.response.start: check the status (an int, 200 to 599) and the headers (pairs
        #     of bytes) and raise out of send() if they are wrong (main spec, "Error Handling");
        #     drop a transfer-encoding header; keep them, but send nothing yet;
        #   - http.response.body: with the first one, send the h11.Response (its headers through
        #     self.connection.server_headers(), its reason from reason()); then each body at once
        #     as an h11.Data (none for HEAD, 204 or 304: see body_allowed()), and
        #     h11.EndOfMessage when more_body is False. Without a Content-Length from the app,
        #     h11 frames the body itself. Keep self.head_sent and self.response_complete up to date;
        #   - raise an exception for any other message type, and ClientDisconnected (an OSError)
        #     once the client has gone (self.connection.lost).
        if message["type"] == "http.response.start":
            self.status, self.headers = message["status"], list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.pieces.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = b"".join(self.pieces)
                headers = [*self.headers, (b"content-length", str(len(body)).encode())]
                await self.connection.write(
                    h11.Response(status_code=self.status, headers=self.connection.server_headers(headers)),
                    h11.Data(data=body),
                    h11.EndOfMessage(),
                )
                self.head_sent = True
                self.response_complete.set()

    # --- 6. Calling the app -------------------------------------------------------------------

    async def run(self, app: ASGIApp) -> None:
        """Call the app for this request. Its errors end in a 500, or in a closed connection."""
        # TODO: main spec, "Error Handling". For now an exception from the app ends this
        # connection's task (asyncio prints it) and the client gets no answer, and so does a
        # client whose app returns without a response. Instead:
        #   - catch the app's exceptions and log the traceback (to stderr, never to the client);
        #   - if the head hasn't gone out (self.head_sent), answer 500 with
        #     self.connection.send_error(); if it has, leave the response unfinished: the
        #     connection loop then closes the connection, and the client sees the failure;
        #   - do the same when the app returns without completing its response;
        #   - once the client has gone (self.connection.lost), the exception is the app's
        #     reaction to that, often our own ClientDisconnected: log one line, no traceback.
        await app(self.scope, self.receive, self.send)
        log(f"{self.summary} {self.status}")


# --- 7. Connections: keep-alive ---------------------------------------------------------------


class Server:
    """The connections of the listening socket, each served by a task of its own."""

    def __init__(self, app: ASGIApp, state: dict[str, Any], timeout: float) -> None:
        self.app = app
        self.state = state  # the lifespan state, copied into each request's scope
        self.timeout = timeout
        self.connections: dict[asyncio.Task[Any], Connection] = {}
        self.stopping = False

    async def handle_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Serve one connection: read a request, answer it with the app, and repeat while it stays open."""
        connection = Connection(reader, writer, self.timeout)
        task = asyncio.current_task()
        assert task is not None
        self.connections[task] = connection
        try:
            while not self.stopping:
                connection.idle = True
                try:
                    event = await connection.read_event(self.timeout)
                except asyncio.TimeoutError:
                    # A silent client is dropped; one that started a request and went quiet
                    # hears why (RFC 9110 §15.5.9).
                    if connection.h11.trailing_data[0].strip():
                        await connection.send_error(408)
                    return
                except h11.RemoteProtocolError as e:
                    # Not HTTP/1.1: 400; a head over MAX_HEAD_BYTES: 431; and so on.
                    await connection.send_error(e.error_status_hint)
                    return
                if not isinstance(event, h11.Request):
                    return  # h11.ConnectionClosed: the client hung up between requests
                connection.idle = False
                if event.http_version not in (b"1.0", b"1.1"):
                    # h11 parses any HTTP/x.y; an HTTP/2 preface ("PRI * HTTP/2.0") is not ours.
                    await connection.send_error(505)
                    return
                if content_length(event) > MAX_BODY_BYTES:
                    await connection.send_error(413, with_body=event.method != b"HEAD")  # before reading any of it
                    return
                await RequestCycle(connection, event, self.state).run(self.app)
                # TODO: keep-alive (HTTP spec, "HTTP Connection Scope": a scope per request, "even
                # if the underlying socket is still open and serving multiple requests"). For now
                # every connection closes after one response. h11 knows whether it may carry
                # another request: our state is DONE, not MUST_CLOSE (after Connection: close, an
                # HTTP/1.0 client or an error response) nor SEND_BODY (after an unfinished
                # response). If so, read past what the app left of the request body
                # (connection.discard_body()), check that their state is DONE too, and call
                # connection.h11.start_next_cycle().
                return
        except asyncio.CancelledError:
            # Server.shutdown() cancelled this connection: it was idle, or ran past the deadline.
            # End quietly (Python 3.11's start_server reports a cancelled handler as an error).
            pass
        finally:
            del self.connections[task]
            await connection.close()

    # --- 8. Stopping gracefully ---------------------------------------------------------------

    async def shutdown(self, grace: float) -> None:
        """Close idle connections, let requests in progress finish (up to `grace` s), cancel the rest."""
        # TODO: graceful shutdown, called by serve() on SIGINT or SIGTERM:
        #   - set self.stopping: each connection then closes after its current response;
        #   - cancel the tasks of idle connections (connection.idle), which wait for a request
        #     that won't be served, and set `closing` on the others: their responses then say
        #     Connection: close;
        #   - wait up to `grace` seconds for the tasks (asyncio.wait), then cancel those left.


async def serve(app: ASGIApp, host: str, port: int, name: str, timeout: float, grace: float) -> None:
    """Start the app up, serve until SIGINT or SIGTERM, then stop gracefully and shut the app down."""
    # Lifespan spec, "Startup Complete": "A server must wait for this message before it starts
    # processing connections", so the socket only listens once startup is done.
    lifespan = Lifespan(app)
    await lifespan.startup()
    server = Server(app, lifespan.state, timeout)
    listener = await asyncio.start_server(server.handle_connection, host, port)
    log(f"Serving {name} on http://{host}:{port} (Ctrl-C stops)")
    # TODO: graceful shutdown. For now Ctrl-C stops the server with KeyboardInterrupt,
    # cutting off requests in progress, and SIGTERM (what `kill`, systemd, Docker and
    # Kubernetes send) kills it outright; the app is never shut down. Instead, on SIGINT or
    # SIGTERM (loop.add_signal_handler): stop accepting (listener.close()), let the
    # connections finish (server.shutdown(grace)), then run lifespan.shutdown(grace):
    # lifespan spec, "Shutdown", is sent once the server "has stopped accepting connections
    # and closed all active connections".
    async with listener:
        await listener.serve_forever()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve an ASGI 3 app over HTTP/1.1 (asyncio and h11).")
    parser.add_argument("app", metavar="APP", help="the app as module:attribute, like hello:app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--timeout", type=float, default=IDLE_TIMEOUT,
                        help=f"seconds a client may stay silent before it is dropped (default {IDLE_TIMEOUT:g})")
    parser.add_argument("--grace", type=float, default=GRACE,
                        help=f"seconds requests in progress get to finish when stopping (default {GRACE:g})")
    args = parser.parse_args(argv)
    try:
        app = load_app(args.app)
    except AppLoadError as e:
        print(f"server.py: {e}", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(app, args.host, args.port, args.app, args.timeout, args.grace))
    except LifespanFailed as e:
        print(f"server.py: the app's startup failed: {e}", file=sys.stderr)
        return 3  # uvicorn's exit code for a failed startup
    except OSError as e:
        print(f"server.py: cannot listen on {args.host}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
