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
        # TODO (step 4): the app has now taken `flow_controlled` bytes, so the client may send as
        # many more, and it must hear so (RFC 9113 §6.9.1).
        return message

    async def send(self, message: Message) -> None:
        """The app's send(): http.response.start becomes HEADERS, http.response.body DATA frames."""
        # TODO (step 2): http.response.start is this stream's HEADERS, the status first and no
        # connection-specific field (RFC 9113 §8.3.2, §8.2.2); http.response.body is DATA, and the
        # last body ends the stream (§8.1). A send() on a `closed` stream raises (step 5).
        raise NotImplementedError("Stream.send() is step 2 of the lab")

    async def send_body(self, data: bytes, end_stream: bool) -> None:
        """Send `data` in DATA frames, no more at a time than the client's window and frame size allow."""
        # TODO (step 3): no DATA frame bigger than the client's window or its frame size allows
        # (RFC 9113 §6.9.1, §4.2); with the window used up, wait until window_updated() says more.
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
        # TODO (step 1): the stream's app runs while this connection goes on reading the other
        # streams' frames (RFC 9113 §5), and the connection can find the stream and its task.
        # TODO (step 6): a stream opened once the server is `stopping` is refused, in a way that
        # lets the client send it again elsewhere (RFC 9113 §8.7).
        self.h2.send_headers(event.stream_id, [(b":status", b"501"), (b"content-length", b"0")], end_stream=True)

    def data_received(self, event: h2.events.DataReceived) -> None:
        """A piece of a request body: queue it for the app's receive()."""
        # TODO (step 4): the piece reaches the app through the stream's receive(), and its window
        # opens only when the app takes it; a piece nobody will read still used up the
        # connection's window, which all the streams share (RFC 9113 §6.9).
        self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)

    def window_updated(self, stream_id: int) -> None:
        """WINDOW_UPDATE (or new SETTINGS): wake the streams waiting for window."""
        # TODO (step 3): every stream that this window lets go on is woken; stream 0 is the
        # connection's window, shared by all streams (RFC 9113 §6.9).

    def stream_reset(self, event: h2.events.StreamReset) -> None:
        """RST_STREAM from the client: that request is cancelled, the others go on."""
        # TODO (step 5): that stream's app hears http.disconnect, and the other streams go on
        # (RFC 9113 §6.4; ASGI HTTP spec, "Disconnect - receive event").

    def connection_terminated(self, event: h2.events.ConnectionTerminated) -> None:
        """GOAWAY from the client: it opens no more streams and wants the connection closed."""
        # TODO (step 6): every stream on this connection is gone with it (RFC 9113 §6.8).

    async def shutdown(self, grace: float) -> None:
        """Stop: let the streams in progress finish (up to `grace` s), then GOAWAY and close."""
        # TODO (step 6): no new stream starts, the streams in progress get up to `grace` s to
        # finish, and only then does GOAWAY (NO_ERROR) go out, if the socket is still there
        # (RFC 9113 §6.8).
        self.lost = True
        self.writer.close()


if __name__ == "__main__":
    sys.exit(main(Connection))
