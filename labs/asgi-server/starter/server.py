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
    # TODO: an APP that names no callable (no colon, no such module or attribute) is a typo on
    # the command line: one line that says so, and exit code 2 (see main()), never a traceback.
    return getattr(importlib.import_module(module_name), attr)


# --- 2. Lifespan: startup and shutdown --------------------------------------------------------
class Lifespan(LifespanCall):
    """The app's lifespan: startup before the first connection, shutdown after the last."""

    async def startup(self) -> None:
        """Run the app's startup; return once it is done. LifespanFailed if the app says it failed."""
        # TODO: lifespan spec, "Scope" and "Startup": the app has started up, in a call of its
        # own that lasts as long as the server, before this returns; a failed startup ends the
        # server with the app's message; an app that raises instead has no lifespan: serve it.

    async def shutdown(self, timeout: float) -> None:
        """Tell the app the server is stopping; wait (up to `timeout` s) for it to clean up."""
        # TODO: lifespan spec, "Shutdown": an app whose startup completed has been told, and has
        # answered or had `timeout` seconds to.


# --- 3. The scope -----------------------------------------------------------------------------
def build_scope(
    request: h11.Request, server: tuple[str, int], client: tuple[str, int], state: dict[str, Any]
) -> Scope:
    """The scope of one HTTP request (HTTP spec, "HTTP Connection Scope")."""
    # TODO: HTTP spec, "HTTP Connection Scope": every key it lists, of the type it says, the
    # path decoded and nothing else; lifespan spec, "Lifespan State". This is enough for hello.py.
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
        self.pieces: list[bytes] = []  # TODO: what send() holds back; a send() that streams holds nothing

    async def receive(self) -> Message:
        """The app's receive(): the request body as http.request messages, then http.disconnect."""
        # TODO: HTTP spec, "Request - receive event" and "Disconnect - receive event": the app
        # has each piece of the body as it arrives, and knows which is the last; a body over
        # MAX_BODY_BYTES, a client gone quiet or bytes that aren't HTTP are refused (408, 413, ...);
        # once the body is done, the next call returns when the client leaves or the response is.
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
        # TODO: HTTP spec, "Response Start", "Response Body" and "Disconnected Client": a
        # message that breaks the spec raises here, before anything is on the wire; each body is
        # on the wire before send() returns, framed by h11 when the app gave no length, and never
        # for HEAD, 204 or 304; once the client has gone, send() raises an OSError.
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
        # TODO: main spec, "Error Handling": whatever the app does, raise or return too early,
        # the client can tell a failure (a 500 while no head has gone out, else an unfinished
        # body) and the traceback is in the log, not in the response; a client that left is no error.
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
                # TODO: HTTP spec, "HTTP Connection Scope" (a scope per request, on a socket that
                # stays open) and RFC 9112 §9.3: the connection serves another request whenever
                # h11 says both sides may go on, whatever the app left unread of this one's body.
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
        # TODO: when this returns, no connection is open: idle ones closed at once, requests in
        # progress finished (their responses saying Connection: close) or, after `grace`
        # seconds, cancelled.


async def serve(app: ASGIApp, host: str, port: int, name: str, timeout: float, grace: float) -> None:
    """Start the app up, serve until SIGINT or SIGTERM, then stop gracefully and shut the app down."""
    # Lifespan spec, "Startup Complete": "A server must wait for this message before it starts
    # processing connections", so the socket only listens once startup is done.
    lifespan = Lifespan(app)
    await lifespan.startup()
    server = Server(app, lifespan.state, timeout)
    listener = await asyncio.start_server(server.handle_connection, host, port)
    log(f"Serving {name} on http://{host}:{port} (Ctrl-C stops)")
    # TODO: SIGINT (Ctrl-C) and SIGTERM (`kill`, systemd, Docker) both stop the server
    # gracefully and exit 0: no new connections, the open ones closed (Server.shutdown), then,
    # lifespan spec, "Shutdown", the app's shutdown. For now Ctrl-C cuts requests off, and
    # SIGTERM kills.
    async with listener:
        await listener.serve_forever()


if __name__ == "__main__":
    sys.exit(main(load_app, serve))
