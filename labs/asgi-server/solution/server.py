"""An ASGI server: serves any ASGI 3 application over HTTP/1.1, as uvicorn does, on asyncio and h11.

    python server.py [--host 127.0.0.1] [--port 8080] [--timeout 5] [--grace 3] module:attr

This file is the ASGI half, the part the lab asks you to write, in the order of a server's
life: 1. import the app; 2. lifespan startup; 3. a scope for each request;
4. receive() and send(); 5. calling the app, and its errors; 6. keep-alive; 7. a graceful stop,
and the app's shutdown. The HTTP/1.1 half is given in h11_plumbing.py: h11 parses and frames
HTTP/1.1 without doing any I/O, and its Connection moves the bytes between h11 and a socket.
Each rule here names its section of the spec: https://asgi.readthedocs.io/en/latest/specs/www.html
(HTTP) and https://asgi.readthedocs.io/en/latest/specs/lifespan.html (lifespan).
"""

from __future__ import annotations

import asyncio
import importlib
import signal
import sys
import traceback
from typing import Any
from urllib.parse import unquote

import h11

# Given: the HTTP/1.1 layer, the lifespan call's plumbing and the command line.
from h11_plumbing import (MAX_BODY_BYTES, AppLoadError, ASGIApp, ClientDisconnected, Connection, Headers, LifespanCall,
                          LifespanFailed, Message, RequestCycleBase, Scope, log, main, reason)


# --- 1. Loading the app ----------------------------------------------------------------------
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
class Lifespan(LifespanCall):
    """The app's lifespan: startup before the first connection, shutdown after the last."""

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


# --- 3. The scope -----------------------------------------------------------------------------
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


# --- 4. One request: receive() and send() -----------------------------------------------------
class RequestCycle(RequestCycleBase):
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

    # --- 5. Calling the app -------------------------------------------------------------------
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


# --- 6. Connections: keep-alive ---------------------------------------------------------------
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
                request = await connection.next_request()
                if request is None:
                    return  # the client hung up, went quiet, or sent what was refused
                await RequestCycle(connection, request, self.state).run(self.app)
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

    # --- 7. Stopping gracefully ---------------------------------------------------------------
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


if __name__ == "__main__":
    sys.exit(main(load_app, serve))
