"""An ASGI server: serves any ASGI 3 application over HTTP/1.1, as uvicorn does, on asyncio and h11.

    python server.py [--host 127.0.0.1] [--port 8080] [--timeout 5] [--grace 3] module:attr

This file is the ASGI half, yours to write: look for the TODO marks. They come in the order
of a server's life: 1. import the app; 2. lifespan startup; 3. a scope for each request;
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
    # TODO: a wrong APP (no colon, no such module, no such attribute, not callable) is a
    # mistake on the command line, not a crash: raise AppLoadError with a one-line message
    # (main() prints it and exits with code 2). For now, a typo ends in a traceback.
    return getattr(importlib.import_module(module_name), attr)


# --- 2. Lifespan: startup and shutdown --------------------------------------------------------
class Lifespan(LifespanCall):
    """The app's lifespan: startup before the first connection, shutdown after the last."""

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


# --- 3. The scope -----------------------------------------------------------------------------
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
        self.pieces: list[bytes] = []  # TODO: the body, collected by send(); not needed once send() streams

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

    # --- 5. Calling the app -------------------------------------------------------------------
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

    # --- 7. Stopping gracefully ---------------------------------------------------------------
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


if __name__ == "__main__":
    sys.exit(main(load_app, serve))
