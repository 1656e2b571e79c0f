"""The checks' clients, and serve.py (nginx in front of uvicorn) started as `wire start` starts it.

serve.py prints the CA it made and the port of uvicorn behind nginx. The clients trust that CA
only: httpx (HTTP/2 or HTTP/1.1) and the `websockets` library, each with an SSLContext of its
own (httpx adds ALPN h2 to a context it is given, and a WebSocket handshake over h2 fails).
They connect from 127.0.0.3, so that the client's address differs from nginx's (127.0.0.2)
and from any other client's (127.0.0.1).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidHandshake, InvalidStatus

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import Family, fail
from onthewire.serving import HOST, Running
from snippets.http2.tlsfiles import TLSFiles, client_context

TIMEOUT = 5.0
CLIENT = "127.0.0.3"  # where the checks' clients connect from
NGINX = "127.0.0.2"  # where nginx connects to uvicorn from (proxy_bind in nginx.conf)
SPOOFED = "203.0.113.7"  # an address from TEST-NET-3 (RFC 5737), for a client that lies


@dataclass
class Front:
    """serve.py running: nginx on `port`, uvicorn on `app_port`, with the certificates it made."""

    running: Running
    files: TLSFiles
    app_port: int
    processes: Family = field(init=False)  # nginx, uvicorn and their workers

    def __post_init__(self) -> None:
        self.processes = Family(self.running.process)

    @property
    def port(self) -> int:
        return self.running.port


@contextlib.contextmanager
def started(serve: ServeFactory) -> Iterator[Front]:
    """Run serve.py; yield once nginx listens. On leaving, serve.py is stopped as `wire start`
    stops it; whatever it started gets 10 s to end, then is named in `processes.left_behind` and killed.
    A serve.py that does not start fails the check with nginx's [emerg] message, if any (the
    harness's `serve`)."""
    with serve(ready_timeout=20) as running:
        output = running.output()
        ca = re.search(r"CA certificate: (\S+)", output)
        app = re.search(r"uvicorn: http://127\.0\.0\.1:(\d+)", output)
        if not (ca and app):
            fail("serve.py did not print the lines 'CA certificate: PATH' and 'uvicorn: URL' before nginx listened")
        path = Path(ca.group(1))
        front = Front(running, TLSFiles(ca=path, cert=path.parent / "cert.pem", key=path.parent / "key.pem"),
                      int(app.group(1)))
        front.processes.note()
        try:
            yield front
        finally:
            front.processes.note()  # serve.py is still running
    front.processes.reap(grace=10)


def alpn(front: Front, offer: list[str]) -> str | None:
    """The protocol nginx selected for a client offering `offer` (ALPN, RFC 7301)."""
    context = client_context(front.files, alpn=offer)
    try:
        with socket.create_connection((HOST, front.port), timeout=TIMEOUT, source_address=(CLIENT, 0)) as raw:
            with context.wrap_socket(raw, server_hostname=HOST) as tls:
                return tls.selected_alpn_protocol()
    except ssl.SSLCertVerificationError as e:
        fail(f"nginx's certificate did not verify against the CA serve.py printed: {e.verify_message}")
    except (ssl.SSLError, OSError) as e:
        fail(f"no TLS handshake with nginx on port {front.port} ({e.__class__.__name__}: {e}): "
             "is the listen line `ssl http2`, with ssl_certificate and ssl_certificate_key?")
    raise AssertionError("unreachable")


def get(front: Front, *, http2: bool = True, host: str = HOST, headers: dict[str, str] | None = None) -> tuple[str, dict]:
    """GET / through nginx from 127.0.0.3: (the HTTP version spoken to nginx, the app's JSON)."""
    transport = httpx.HTTPTransport(verify=client_context(front.files), http2=http2, local_address=CLIENT)
    url = f"https://{host}:{front.port}/"
    try:
        with httpx.Client(transport=transport, timeout=TIMEOUT) as client:
            response = client.get(url, headers=headers)
    except httpx.HTTPError as e:
        fail(f"httpx could not GET {url} through nginx: {e.__class__.__name__}: {e}")
    return response.http_version, _json(response, "through nginx")


def direct(front: Front, headers: dict[str, str]) -> dict:
    """GET / straight from uvicorn, from 127.0.0.1, as any local process could."""
    try:
        response = httpx.get(f"http://{HOST}:{front.app_port}/", headers=headers, timeout=TIMEOUT)
    except httpx.HTTPError as e:
        fail(f"httpx could not GET / from uvicorn directly: {e.__class__.__name__}: {e}")
    return _json(response, "from uvicorn directly")


def _json(response: httpx.Response, how: str) -> dict:
    if response.status_code != 200:
        fail(f"GET / {how} answered {response.status_code}, not 200: {response.text[:100]!r}")
    try:
        return response.json()
    except ValueError:
        fail(f"GET / {how} did not answer the app's JSON: {response.text[:100]!r}")
    raise AssertionError("unreachable")


def websocket_echo(front: Front, text: str) -> tuple[dict, str]:
    """Through nginx, over wss:// from 127.0.0.3: (the app's first message, the echo of `text`)."""
    url = f"wss://{HOST}:{front.port}/ws"

    async def run() -> tuple[dict, str]:
        # An SSLContext of its own, with no ALPN: the WebSocket handshake is HTTP/1.1.
        async with connect(url, ssl=client_context(front.files), local_addr=(CLIENT, 0),
                           open_timeout=TIMEOUT, close_timeout=TIMEOUT) as ws:
            hello = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
            await ws.send(text)
            return hello, await asyncio.wait_for(ws.recv(), TIMEOUT)

    try:
        return asyncio.run(run())
    except InvalidStatus as e:
        fail(f"the WebSocket handshake through nginx got HTTP {e.response.status_code}, not 101: "
             "does nginx pass Upgrade and Connection on, over HTTP/1.1?")
    except (InvalidHandshake, OSError, asyncio.TimeoutError) as e:
        fail(f"no WebSocket through nginx at {url}: {e.__class__.__name__}: {e}")
    raise AssertionError("unreachable")
