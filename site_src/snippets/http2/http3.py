"""HTTP/3 for real: hypercorn serves the module's app over TLS on TCP and over QUIC on UDP,
on the same port number. A first request over TCP (HTTP/2) learns from the `alt-svc` header
that HTTP/3 is on offer (RFC 7838); a second request goes over QUIC with aioquic's client,
and the app's scope says "3" (RFC 9114).

Run it:  python http3.py        (about 2 s)
Try:     print every header of the HTTP/3 response; take `--quic-bind` away and look at alt-svc.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from typing import Any

import httpx
from aioquic.asyncio import connect
from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.h3.connection import H3_ALPN, H3Connection
from aioquic.h3.events import DataReceived, H3Event, HeadersReceived
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.events import ProtocolNegotiated, QuicEvent

from onthewire.serving import HOST, free_port, python, running
from snippets.http2.probe import HERE
from snippets.http2.tlsfiles import TLSFiles, certificates, client_context


def _free_tcp_and_udp_port() -> int:
    """A port number free for TCP and for UDP alike, as the alt-svc header suggests using."""
    while True:
        port = free_port()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            try:
                udp.bind((HOST, port))
            except OSError:
                continue
        return port


# --8<-- [start:serve]
def command(port: int, files: TLSFiles) -> list[str]:
    """hypercorn with TLS on TCP (HTTP/1.1 and HTTP/2) and QUIC on UDP (HTTP/3), same port."""
    return [python(), "-m", "hypercorn", "app:app", "--bind", f"{HOST}:{port}",
            "--quic-bind", f"{HOST}:{port}",  # needs aioquic; QUIC always carries TLS 1.3
            "--certfile", str(files.cert), "--keyfile", str(files.key),
            "--workers", "0",  # serve in this one process: no worker or helper process to outlive it
            # once QUIC is bound, hypercorn 0.18 takes its whole grace period (3 s by default)
            # to stop on SIGTERM, clients or not; every request here is done by then
            "--graceful-timeout", "1"]
# --8<-- [end:serve]


# --8<-- [start:altsvc]
def advertised(port: int, files: TLSFiles) -> tuple[str, str]:
    """(protocol spoken, alt-svc header) for a first request over TCP."""
    with httpx.Client(http2=True, verify=client_context(files), timeout=5) as client:
        response = client.get(f"https://{HOST}:{port}/")
    # h3=":PORT": the same host, UDP port PORT, for `ma` seconds (RFC 7838 §3)
    return response.http_version, response.headers["alt-svc"]
# --8<-- [end:altsvc]


@dataclass
class H3Response:
    """What one HTTP/3 exchange gave: the ALPN protocol QUIC's handshake settled on, the
    `:status` pseudo-header and the body."""

    alpn: str
    status: int
    body: str


# --8<-- [start:client]
class _H3Client(QuicConnectionProtocol):
    """A QUIC connection that hands its events to an HTTP/3 layer and collects one response."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.http = H3Connection(self._quic)  # opens the control and QPACK streams
        self.events: dict[int, list[H3Event]] = {}
        self.done: dict[int, asyncio.Future[None]] = {}
        self.alpn: str | None = None

    def quic_event_received(self, event: QuicEvent) -> None:
        if isinstance(event, ProtocolNegotiated):  # ALPN runs inside QUIC's TLS 1.3 handshake
            self.alpn = event.alpn_protocol
        for h3_event in self.http.handle_event(event):  # QUIC stream bytes in, HTTP/3 events out
            if isinstance(h3_event, (HeadersReceived, DataReceived)):
                self.events.setdefault(h3_event.stream_id, []).append(h3_event)
                if h3_event.stream_ended:
                    self.done[h3_event.stream_id].set_result(None)

    async def get(self, authority: str, path: str) -> list[H3Event]:
        stream_id = self._quic.get_next_available_stream_id()  # a client-initiated bidirectional stream
        self.done[stream_id] = asyncio.get_running_loop().create_future()
        self.http.send_headers(stream_id, [(b":method", b"GET"), (b":scheme", b"https"),
                                           (b":authority", authority.encode()), (b":path", path.encode())],
                               end_stream=True)
        self.transmit()  # the protocol sends datagrams only when asked
        await asyncio.wait_for(self.done[stream_id], timeout=5)
        return self.events[stream_id]


async def get_h3(port: int, files: TLSFiles) -> H3Response:
    """GET / over HTTP/3: a QUIC handshake offering ALPN h3, trusting only our CA."""
    configuration = QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN, cafile=str(files.ca),
                                      server_name=HOST)
    async with connect(HOST, port, configuration=configuration, create_protocol=_H3Client) as client:
        events = await client.get(f"{HOST}:{port}", "/")
        alpn = client.alpn
    headers = dict(next(e for e in events if isinstance(e, HeadersReceived)).headers)
    body = b"".join(e.data for e in events if isinstance(e, DataReceived))
    return H3Response(alpn or "(none)", int(headers[b":status"]), body.decode())
# --8<-- [end:client]


# --8<-- [start:main]
def demonstrate(files: TLSFiles) -> tuple[str, str, H3Response]:
    """Start hypercorn on TCP and UDP; ask over TCP, then over QUIC; stop it."""
    port = _free_tcp_and_udp_port()
    with running(command(port, files), port=port, cwd=HERE):  # ready once TCP accepts
        spoken, alt_svc = advertised(port, files)
        h3 = asyncio.run(get_h3(port, files))
    return spoken, alt_svc.replace(f":{port}", ":PORT"), h3
# --8<-- [end:main]


if __name__ == "__main__":
    with certificates() as files:
        spoken, alt_svc, h3 = demonstrate(files)
    print(f"over TCP, {spoken}:  alt-svc: {alt_svc}")
    print(f"over QUIC: ALPN {h3.alpn!r}, status {h3.status}, body: {h3.body.strip()}")
