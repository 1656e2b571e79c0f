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

import asyncio
import sys

import h2.events
import h2.exceptions
from h2.errors import ErrorCodes

# Given: loading the app, the scope, calling the app, the read loop, the server and the command line.
from h2_plumbing import HOP_BY_HOP, SERVER_SOFTWARE, ClientDisconnected, ConnectionBase, Message, Scope, StreamBase, build_scope, main


# --- One stream: one request, one call of the app ---------------------------------------------


class Stream(StreamBase):
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


# --- One connection: h2's state machine, and the streams on it --------------------------------


class Connection(ConnectionBase):
    """One client connection: h2's state machine for it, and a Stream per request in progress."""

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


if __name__ == "__main__":
    sys.exit(main(Connection))
