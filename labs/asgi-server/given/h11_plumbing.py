"""The given half of the ASGI server: HTTP/1.1 over h11, and the command line.

Read it, no need to edit it. server.py, your half, turns what this module reads from a
connection into ASGI messages and back; this module moves the bytes:

- Connection: one client socket and h11's state machine for it. next_request() reads the next
  request (refusing what no app should see: 400, 408, 413, 431, 505), read_event() gives h11's
  next event, write() sends events, send_error() answers a request no app answers;
- LifespanCall: the app's lifespan call and its two queues; server.py's Lifespan drives it;
- RequestCycleBase: small helpers of server.py's RequestCycle (refuse(), body_allowed());
- main(): the command line, `python server.py [--host H] [--port P] module:attr`.

h11 parses and frames HTTP/1.1 without doing any I/O: give it bytes and it gives you events
(Request, Data, EndOfMessage, ConnectionClosed); give it events and it gives you bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import traceback
from collections.abc import Awaitable, Callable
from email.utils import formatdate
from http import HTTPStatus
from typing import Any

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

    async def next_request(self) -> h11.Request | None:
        """The next request to serve, or None when the connection must close: the client hung
        up or went quiet, or sent what no app gets to see (refused here, with its status)."""
        self.idle = True
        try:
            event = await self.read_event(self.timeout)
        except asyncio.TimeoutError:
            # A silent client is dropped; one that started a request and went quiet
            # hears why (RFC 9110 §15.5.9).
            if self.h11.trailing_data[0].strip():
                await self.send_error(408)
            return None
        except h11.RemoteProtocolError as e:
            # Not HTTP/1.1: 400; a head over MAX_HEAD_BYTES: 431; and so on.
            await self.send_error(e.error_status_hint)
            return None
        if not isinstance(event, h11.Request):
            return None  # h11.ConnectionClosed: the client hung up between requests
        self.idle = False
        if event.http_version not in (b"1.0", b"1.1"):
            # h11 parses any HTTP/x.y; an HTTP/2 preface ("PRI * HTTP/2.0") is not ours.
            await self.send_error(505)
            return None
        if content_length(event) > MAX_BODY_BYTES:
            await self.send_error(413, with_body=event.method != b"HEAD")  # before reading any of it
            return None
        return event

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
        """Close the connection: the last thing a connection's task does.

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
            except asyncio.CancelledError:
                # The server is stopping: Server.shutdown() or, once serve() has returned,
                # asyncio.run() cancelled this task while it lingered. Lingering is a courtesy, so
                # close now, and let the task end rather than end cancelled: Python 3.11's
                # start_server prints a traceback for a handler task that ends cancelled
                # (CPython gh-113538, fixed in 3.12), though nothing went wrong.
                pass
        self.writer.close()


def content_length(request: h11.Request) -> int:
    """The request's Content-Length (h11 has checked it is one number), or 0 without one."""
    for name, value in request.headers:
        if name == b"content-length":
            return int(value)
    return 0


class AppLoadError(Exception):
    """APP names nothing importable: main() prints this one line and exits with code 2."""


class LifespanFailed(Exception):
    """The app answered lifespan.startup with lifespan.startup.failed: main() prints the message."""


class LifespanCall:
    """The app's lifespan scope: one call of the app that lasts as long as the server.

    The server talks to that call through two queues: the app's receive() takes from
    `_to_app`, and its send() puts into `_from_app`. None in `_from_app` means the call has
    ended (the app returned or raised). server.py's Lifespan says what goes through them.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.state: dict[str, Any] = {}  # the app's namespace; each request scope gets a copy
        self.supported = False  # True once the app has completed its startup
        self._to_app: asyncio.Queue[Message] = asyncio.Queue()
        self._from_app: asyncio.Queue[Message | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._error: Exception | None = None

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


class RequestCycleBase:
    """The given helpers of server.py's RequestCycle, which sets the attributes they read."""

    connection: Connection
    request: h11.Request
    status: int | None
    head_sent: bool

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

    def body_allowed(self) -> bool:
        """False for responses that never have a body: to HEAD, and 204 and 304 (RFC 9110 §6.4.1)."""
        return self.request.method != b"HEAD" and self.status not in (204, 304)


def main(load_app: Callable[[str], Any], serve: Callable[..., Awaitable[None]], argv: list[str] | None = None) -> int:
    """The command line: load the app with `load_app`, run `serve` until it returns; the exit code."""
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
