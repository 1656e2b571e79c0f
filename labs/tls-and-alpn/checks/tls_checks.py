"""The checks' TLS clients, and serve.py started as `wire start` starts it.

serve.py prints the path of the certificate authority it made; the clients trust that CA and
nothing else, and check that the certificate is for 127.0.0.1, as a browser would. ALPN is
offered with Python's `ssl` module (OpenSSL), HTTP with httpx (its `h2` package speaks HTTP/2),
and the browser is Debian's Chromium.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import fail
from onthewire.serving import Running
from snippets.http2.tlsfiles import TLSFiles, client_context

TIMEOUT = 5.0


@dataclass
class Server:
    """serve.py running, with the certificate files it made."""

    running: Running
    files: TLSFiles

    @property
    def port(self) -> int:
        return self.running.port

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}/"


@contextlib.contextmanager
def started(serve: ServeFactory, *args: str) -> Iterator[Server]:
    """Run serve.py (with `args`); yield once it listens, with the CA it printed."""
    with serve(args=list(args)) as running:  # a serve.py that does not start fails the check there
        found = re.search(r"CA certificate: (\S+)", running.output())
        if not found:
            fail("serve.py did not print the line 'CA certificate: PATH' before it listened")
        ca = Path(found.group(1))
        yield Server(running, TLSFiles(ca=ca, cert=ca.parent / "cert.pem", key=ca.parent / "key.pem"))


def handshake(server: Server, offer: list[str] | None) -> ssl.SSLSocket:
    """A verified TLS connection to the server, offering `offer` with ALPN (None: no ALPN at all)."""
    context = client_context(server.files, alpn=offer)
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=TIMEOUT)
    try:
        return context.wrap_socket(raw, server_hostname="127.0.0.1")
    except ssl.SSLCertVerificationError as e:
        raw.close()
        fail(f"the server's certificate did not verify against the CA serve.py printed: {e.verify_message}")
    except (ssl.SSLError, OSError) as e:
        raw.close()
        fail(f"no TLS handshake on port {server.port} ({e.__class__.__name__}: {e}): "
             "does hypercorn have a certificate and a key?")
    raise AssertionError("unreachable")


def alpn(server: Server, offer: list[str]) -> str | None:
    """The protocol the server selected when the client offered `offer`."""
    with handshake(server, offer) as tls:
        return tls.selected_alpn_protocol()


def get(server: Server, http2: bool) -> tuple[str, dict]:
    """GET / with httpx (h2 and http/1.1 offered, or http/1.1 only): (HTTP version, the app's JSON)."""
    try:
        # A context of its own for each client: httpx adds its ALPN list to the one it is given.
        with httpx.Client(http2=http2, verify=client_context(server.files), timeout=TIMEOUT) as client:
            response = client.get(server.url)
    except httpx.HTTPError as e:
        fail(f"httpx could not GET {server.url}: {e.__class__.__name__}: {e}")
    if response.status_code != 200:
        fail(f"GET / answered {response.status_code}, not 200")
    try:
        answer = response.json()
    except ValueError:
        fail(f"GET / did not answer JSON: {response.text[:80]!r}")
    return response.http_version, answer if isinstance(answer, dict) else {}


def spki_pin(server: Server) -> str:
    """The base64 SHA-256 of the server certificate's public key, as Chromium's
    --ignore-certificate-errors-spki-list takes it (the certificate is verified first)."""
    with handshake(server, None) as tls:
        der = tls.getpeercert(binary_form=True)
    public = subprocess.run(["openssl", "x509", "-inform", "der", "-pubkey", "-noout"],
                            input=der, capture_output=True, check=True).stdout
    spki = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"],
                          input=public, capture_output=True, check=True).stdout
    return base64.b64encode(hashlib.sha256(spki).digest()).decode()
