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

The ASGI parts are the ones the lab asks you to write; their comments name the section of the
spec that sets each rule: https://asgi.readthedocs.io/en/latest/specs/www.html (HTTP) and
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
    # A wrong APP is a mistake in the command line, not a crash of the server: say what is
    # wrong in one line, like any command does for bad arguments. (An exception raised by the
    # module's own code, a bug in the app, keeps its traceback: that is where it helps.)
    if not module_name or not attr:
        raise AppLoadError(f"APP must be module:attribute, like hello:app, not {spec!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise AppLoadError(f"cannot import {module_name!r} for APP {spec!r}: {e}") from None
    app = getattr(module, attr, None)
    if app is None:
        raise AppLoadError(f"module {module_name!r} has no attribute {attr!r} (APP {spec!r})")
    # Main spec, "Applications": an ASGI 3 app is one async callable, app(scope, receive, send).
    if not callable(app):
        raise AppLoadError(f"{spec} is a {type(app).__name__}, not a callable ASGI app")
    return app


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
        # Lifespan spec, "Scope": the app may keep what it sets up in `state`.
        scope = {"type": "lifespan", "asgi": {"version": "3.0", "spec_version": "2.0"}, "state": self.state}
        self._task = asyncio.create_task(self._run(scope))
        await self._to_app.put({"type": "lifespan.startup"})
        reply = await self._from_app.get()
        if reply is None:
            # "If an exception is raised when calling the application callable with a
            # lifespan.startup message or a scope with type lifespan, the server must continue
            # but not send any lifespan events." That is how an app says it has no lifespan
            # (Django's raises ValueError), so this is a notice, not an error.
            why = f"it raised {self._error!r}" if self._error else "it returned without an answer"
            log(f"The app does not support lifespan ({why}): serving it without startup and shutdown.")
            return
        if reply["type"] == "lifespan.startup.failed":
            # "Startup Failed": "the server should log/print the message provided and then exit".
            raise LifespanFailed(reply.get("message", ""))
        if reply["type"] != "lifespan.startup.complete":
            raise RuntimeError(f"unexpected lifespan message {reply['type']!r} during startup")
        self.supported = True

    async def shutdown(self, timeout: float) -> None:
        """Tell the app the server is stopping; wait (up to `timeout` s) for it to clean up."""
        if not self.supported:
            return  # "...but not send any lifespan events"
        # "Shutdown": sent once the server has stopped accepting and closed its connections.
        await self._to_app.put({"type": "lifespan.shutdown"})
        try:
            reply = await asyncio.wait_for(self._from_app.get(), timeout)
        except asyncio.TimeoutError:
            log(f"The app's shutdown did not finish within {timeout:g} s.")
            reply = None
        if reply is not None and reply["type"] == "lifespan.shutdown.failed":
            log(f"The app's shutdown failed: {reply.get('message', '')}")
        if self._task is not None and not self._task.done():
            self._task.cancel()
            await asyncio.wait({self._task}, timeout=1)

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
    raw_path, _, query_string = request.target.partition(b"?")
    return {
        "type": "http",
        # The ASGI version (3.0: one callable, app(scope, receive, send)) and the version of
        # the HTTP spec this server follows: 2.4 promises that send() raises OSError once the
        # client has gone (Starlette relies on it to stop streaming).
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": request.http_version.decode("ascii"),  # "1.1" or "1.0"
        "method": request.method.decode("ascii"),
        "scheme": "http",  # this server speaks no TLS
        # `path` is percent-decoded, and the bytes decoded as UTF-8: /caf%C3%A9 becomes
        # "/café". That loses information ("/a%2Fb" and "/a/b" look the same), so the bytes
        # as sent are kept in `raw_path`. h11 has checked that the target is ASCII.
        "path": unquote(raw_path.decode("ascii")),
        "raw_path": raw_path,
        # The query string stays bytes and is not decoded: splitting it is the app's job (a
        # decoded %26 would become an & that splits a value in two).
        "query_string": query_string,
        "root_path": "",  # the app is mounted at the root (WSGI's SCRIPT_NAME)
        # h11 gives header names lower-cased, which is what frameworks compare against; a
        # repeated header stays repeated, in order (Set-Cookie-like headers can't be joined).
        "headers": list(request.headers),
        "client": client,
        "server": server,
        # Lifespan spec, "Lifespan State": "a shallow copy of the namespace is passed into
        # each subsequent request": what one request adds doesn't leak into the next.
        "state": dict(state),
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
        if self.connection.lost or self.response_complete.is_set():
            # "Disconnect - receive event": "sent to the application if receive is called
            # after a response has been sent or after the HTTP connection has been closed".
            return {"type": "http.disconnect"}
        if self.body_complete:
            # The whole body is delivered. What an app waits for now (a long poll, say) is
            # the client leaving; the end of the response wakes it too.
            await self.connection.wait_for_hangup(until=self.response_complete)
            return {"type": "http.disconnect"}
        # "Request - receive event": the body in pieces, as h11 reads them, so an upload is
        # never held in memory whole and the app can start on it before it has all arrived.
        # h11 has undone any chunked framing: the app sees body bytes only.
        try:
            event = await self.connection.read_event(self.connection.timeout)
        except asyncio.TimeoutError:
            return await self.refuse(408)  # the client went quiet in the middle of its body
        except h11.RemoteProtocolError as e:
            return await self.refuse(e.error_status_hint)  # broken chunked framing, say
        if isinstance(event, h11.Data):
            self.body_size += len(event.data)
            if self.body_size > MAX_BODY_BYTES:
                # A chunked body announces no length to refuse in advance: count as it comes.
                return await self.refuse(413)
            # more_body=True: "the consuming application should wait until it gets a chunk
            # with this set to False". h11 reports the end of the body as an event of its
            # own, so the last message is an empty one.
            return {"type": "http.request", "body": bytes(event.data), "more_body": True}
        if isinstance(event, h11.EndOfMessage):
            self.body_complete = True
            return {"type": "http.request", "body": b"", "more_body": False}
        # h11.ConnectionClosed: the client hung up before the end of its body.
        self.connection.lost = True
        return {"type": "http.disconnect"}

    def body_allowed(self) -> bool:
        """False for responses that never have a body: to HEAD, and 204 and 304 (RFC 9110 §6.4.1)."""
        return self.request.method != b"HEAD" and self.status not in (204, 304)

    async def send(self, message: Message) -> None:
        """The app's send(): http.response.start, then http.response.body until more_body is False."""
        if self.connection.lost:
            # "Disconnected Client - send exception" (spec 2.4): raise a subclass of OSError,
            # so an app streaming a response stops making what nobody will read.
            raise ClientDisconnected("the client has gone away")
        kind = message["type"]
        if kind == "http.response.start":
            if self.status is not None:
                raise RuntimeError("http.response.start was sent twice")
            # Main spec, "Error Handling": an invalid message raises out of send(), back to
            # the app. Checking now, before anything is sent, lets that end in a clean 500.
            status = message["status"]
            if type(status) is not int or not 200 <= status <= 599:
                raise ValueError(f"status must be an int from 200 to 599, not {status!r}")
            headers: Headers = []
            for name, value in message.get("headers", []):
                if type(name) is not bytes or type(value) is not bytes:
                    raise TypeError(f"header names and values must be bytes, not {name!r}: {value!r}")
                # "You may send a Transfer-Encoding header in this message, but the server
                # must ignore it": framing is the server's business.
                if name.lower() != b"transfer-encoding":
                    headers.append((name, value))
            self.status, self.headers = status, headers
            # Nothing is sent yet. "Protocol servers need not flush the data generated by this
            # event to the send buffer until the first Response Body event": until then a 500
            # can still replace this response if the app fails.
        elif kind == "http.response.body":
            if self.status is None:
                raise RuntimeError("http.response.body before http.response.start")
            if self.response_complete.is_set():
                return  # "any further messages on the channel will be ignored"
            body = message.get("body", b"")
            more_body = message.get("more_body", False)
            if type(body) is not bytes:
                raise TypeError(f"body must be bytes, not {type(body).__name__}")
            events: list[h11.Event] = []
            if not self.head_sent:
                headers = self.headers
                names = {name.lower() for name, _ in headers}
                if not more_body and b"content-length" not in names and self.body_allowed():
                    # The whole body came in one message: its length is known, so say it.
                    headers = [*headers, (b"content-length", str(len(body)).encode())]
                # Without a Content-Length, h11 frames the body itself: chunked for an HTTP/1.1
                # client, "until the connection closes" for HTTP/1.0 ("a response that is given
                # to the server with no Content-Length may be chunked as the server sees fit").
                events.append(h11.Response(status_code=self.status, headers=self.connection.server_headers(headers),
                                           reason=reason(self.status)))
            if body and self.body_allowed():
                events.append(h11.Data(data=body))
            if not more_body:
                events.append(h11.EndOfMessage())
            # "Protocol servers must flush any data passed to them into the send buffer before
            # returning from a send call": each piece goes out now, not when the body is done.
            await self.connection.write(*events)
            self.head_sent = True
            if not more_body:
                self.response_complete.set()
        else:
            raise ValueError(f"unexpected ASGI message type {kind!r} for an HTTP response")

    # --- 6. Calling the app -------------------------------------------------------------------

    async def run(self, app: ASGIApp) -> None:
        """Call the app for this request. Its errors end in a 500, or in a closed connection."""
        try:
            await app(self.scope, self.receive, self.send)
        except Exception as error:
            if self.connection.lost:
                # The client left (or we gave up on it) and the app stopped because of that:
                # our ClientDisconnected, or the app's own reaction to http.disconnect. "Servers
                # must be prepared to catch this exception ... and should not log it as an error."
                log(f"{self.summary} client went away ({type(error).__name__})")
                return
            # Main spec, "Error Handling": surface the error (the traceback goes to stderr,
            # never to the client) and "terminate the application instance and its
            # associated connection".
            log(f"{self.summary} the app raised {type(error).__name__}:\n" + traceback.format_exc().rstrip())
        else:
            if self.response_complete.is_set():
                log(f"{self.summary} {self.status}")
                return
            if self.connection.lost:
                log(f"{self.summary} client went away")
                return
            log(f"{self.summary} the app returned without {'finishing' if self.head_sent else 'sending'} a response")
        if not self.head_sent:
            # Nothing is on the wire yet (that is why send() held the head back): a 500 takes
            # the place of whatever the app meant to send.
            await self.connection.send_error(500, with_body=self.request.method != b"HEAD")
        # Otherwise the client has a status line and part of a body. Closing the connection
        # now (the connection loop sees h11 still in SEND_BODY) leaves the body unfinished,
        # no final chunk or fewer bytes than Content-Length, so the client knows it failed.


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
                # HTTP spec, "HTTP Connection Scope": each request is a scope and an app call of
                # its own, "even if the underlying socket is still open and serving multiple
                # requests". h11 knows whether this one can serve another: after Connection:
                # close from either side, an HTTP/1.0 client or an error response, our state is
                # MUST_CLOSE, not DONE; after an unfinished response, still SEND_BODY.
                if connection.h11.our_state is not h11.DONE:
                    return
                # A body the app didn't read sits on the socket before the next request: read
                # past it. Then both sides are DONE, and h11 can start over.
                if not await connection.discard_body() or connection.h11.their_state is not h11.DONE:
                    return
                connection.h11.start_next_cycle()
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
        # Lifespan spec, "Shutdown": the app is told to shut down once the server "has stopped
        # accepting connections and closed all active connections". Idle ones close now; busy
        # ones after their response, or when `grace` runs out, so that shutdown has an end.
        self.stopping = True  # connections close after their current response
        for task, connection in list(self.connections.items()):
            if connection.idle:
                task.cancel()  # waiting for a request we won't serve: close it now
            else:
                connection.closing = True  # its response will say Connection: close
        if not self.connections:
            return
        _, late = await asyncio.wait(list(self.connections), timeout=grace)
        if late:
            log(f"{len(late)} request(s) still running after {grace:g} s: cancelling them.")
            for task in late:
                task.cancel()  # CancelledError inside the app, then the connection closes
            await asyncio.wait(late, timeout=1)


async def serve(app: ASGIApp, host: str, port: int, name: str, timeout: float, grace: float) -> None:
    """Start the app up, serve until SIGINT or SIGTERM, then stop gracefully and shut the app down."""
    # Lifespan spec, "Startup Complete": "A server must wait for this message before it starts
    # processing connections", so the socket only listens once startup is done.
    lifespan = Lifespan(app)
    await lifespan.startup()
    server = Server(app, lifespan.state, timeout)
    listener = await asyncio.start_server(server.handle_connection, host, port)
    log(f"Serving {name} on http://{host}:{port} (Ctrl-C stops)")
    # Ctrl-C (SIGINT) and `kill` (SIGTERM, what systemd, Docker and Kubernetes send) both ask
    # for a graceful stop. Handled by the event loop, they set an Event instead of raising
    # KeyboardInterrupt at some random point in the code.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    log(f"Stopping: no new connections; requests in progress get up to {grace:g} s to finish.")
    listener.close()  # stop accepting: new clients are refused
    await server.shutdown(grace)
    # Lifespan spec, "Shutdown": sent "when the server has stopped accepting connections and
    # closed all active connections".
    await lifespan.shutdown(grace)
    log("Stopped.")


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
