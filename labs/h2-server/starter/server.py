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

Given, in h2_plumbing.py beside this file (read it, no need to edit it): loading the app, the
scope, calling the app and its errors (StreamBase.run), the connection loop (ConnectionBase.run,
flush) that feeds h2 and writes what it queues, the server and the command line.
Each `# TODO (step N)` is one step of the lab's README; do them in order, and `wire check h2-server`
after each. As it is, the server answers every request with 501.
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
        # TODO (step 4, flow control in): the app has taken `flow_controlled` bytes of the
        # client's window. Give them back (h2's acknowledge_received_data), and flush, or a
        # client uploading more than 65,535 bytes stops for good (RFC 9113 §6.9).
        return message

    async def send(self, message: Message) -> None:
        """The app's send(): http.response.start becomes HEADERS, http.response.body DATA frames."""
        # TODO (step 2): http.response.start becomes a HEADERS frame: h2's send_headers() with
        # (b":status", b"200") first, then the app's headers, names lower-case, leaving out the
        # connection-specific ones in HOP_BY_HOP (RFC 9113 §8.2.2). http.response.body goes to
        # send_body(), with end_stream True unless more_body. Set `started` (send_body sets `finished`);
        # once the stream is `closed` (step 5), raise ClientDisconnected.
        raise NotImplementedError("Stream.send() is step 2 of the lab")

    async def send_body(self, data: bytes, end_stream: bool) -> None:
        """Send `data` in DATA frames, no more at a time than the client's window and frame size allow."""
        # TODO (step 3, flow control out): h2 refuses a DATA frame larger than the client's
        # SETTINGS_MAX_FRAME_SIZE (FrameTooLargeError) or than its window (FlowControlError).
        # Send at most min(h2.local_flow_control_window(self.id), h2.max_outbound_frame_size)
        # bytes at a time, flushing after each; when that is 0, wait on `window_open` until
        # window_updated() sets it (clear it first). End the stream with h2.end_stream().
        h2conn = self.connection.h2
        h2conn.send_data(self.id, data, end_stream=end_stream)
        self.finished = end_stream
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
        # TODO (step 1): build the scope (build_scope), make a Stream, keep it in self.streams,
        # and run the app for it in a task of its own (asyncio.create_task(stream.run(...))),
        # kept in self.tasks until it is done. Not `await`: this is called for every event, and
        # the other streams must go on while one app waits (RFC 9113 §5).
        # TODO (step 6): once the server is `stopping`, refuse the stream with
        # reset_stream(..., ErrorCodes.REFUSED_STREAM) instead: the client may retry it.
        self.h2.send_headers(event.stream_id, [(b":status", b"501"), (b"content-length", b"0")], end_stream=True)

    def data_received(self, event: h2.events.DataReceived) -> None:
        """A piece of a request body: queue it for the app's receive()."""
        # TODO (step 4): put ({"type": "http.request", "body": ..., "more_body": True},
        # event.flow_controlled_length) in the stream's inbox; its receive() gives the window
        # back once the app has it. (StreamEnded, given, puts the last, empty piece.) For a
        # stream nobody will read any more, give the window back at once, or the connection's
        # shared window runs out.
        self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)

    def window_updated(self, stream_id: int) -> None:
        """WINDOW_UPDATE (or new SETTINGS): wake the streams waiting for window."""
        # TODO (step 3): set `window_open` of the stream that got window; stream 0 is the
        # connection's window, shared by all streams (RFC 9113 §6.9): which ones does that wake?

    def stream_reset(self, event: h2.events.StreamReset) -> None:
        """RST_STREAM from the client: that request is cancelled, the others go on."""
        # TODO (step 5): the stream's app must hear it: see Stream.disconnect().

    def connection_terminated(self, event: h2.events.ConnectionTerminated) -> None:
        """GOAWAY from the client: it opens no more streams and wants the connection closed."""
        # TODO (step 6): every stream on this connection is gone with it.

    async def shutdown(self, grace: float) -> None:
        """Stop: let the streams in progress finish (up to `grace` s), then GOAWAY and close."""
        # TODO (step 6): set `stopping`, wait up to `grace` s for self.tasks (asyncio.wait) and
        # cancel the late ones; then, unless the connection is `lost`, send GOAWAY with
        # h2.close_connection(error_code=ErrorCodes.NO_ERROR) and flush (RFC 9113 §6.8). Why
        # in that order? After close_connection(), h2 sends no more DATA on any stream.
        self.lost = True
        self.writer.close()


if __name__ == "__main__":
    sys.exit(main(Connection))
