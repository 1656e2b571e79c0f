"""What does a TLS server do when the client offers no protocol it speaks?

RFC 7301 §3.2 answers for the spec: the server SHALL end the handshake with a fatal
`no_application_protocol` alert. Libraries differ. OpenSSL leaves the choice to the server's
ALPN callback, and the callback in Python's `ssl` module answers "no acknowledgement", so
the handshake completes with no protocol selected. This script asks, for real:

- Python's own `ssl` server, told to speak only h2 (`set_alpn_protocols(["h2"])`, as the
  h2-server lab's `tls_context()` does), by a client that offers only http/1.1;
- each server of probe.py, over TLS, by a client that offers h2 and http/1.1, then by one
  that offers only spdy/3.1 (a registered protocol none of them speaks).

Run it:  python no_common_protocol.py
Try:     offer ["h2"] to uvicorn started without --http2: what does it select?
"""

from __future__ import annotations

import re
import socket
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor

from onthewire.serving import free_port, running
from snippets.http2.probe import HERE, SERVERS, command, table
from snippets.http2.tlsfiles import TLSFiles, certificates, client_context


# --8<-- [start:handshake]
def handshake(port: int, files: TLSFiles, offer: list[str]) -> str:
    """Offer `offer` with ALPN; say how the handshake ended and what the server selected."""
    context = client_context(files, alpn=offer)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        try:
            with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                return f"completed, selected {tls.selected_alpn_protocol() or 'nothing'}"
        except ssl.SSLError as e:
            # OpenSSL names the alert it received: "tlsv1 alert no application protocol".
            alert = re.search(r"alert ([a-z]+(?: [a-z]+)*)", str(e))
            return f"fatal alert: {alert.group(1).replace(' ', '_') if alert else e}"
# --8<-- [end:handshake]


# --8<-- [start:python]
def python_ssl_server(files: TLSFiles) -> tuple[str, str]:
    """A Python `ssl` server that speaks only h2, asked by a client that offers only http/1.1.

    Returns what the client saw, and what the server's side selected."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(files.cert, files.key)
    context.set_alpn_protocols(["h2"])
    server_saw: list[str] = []
    with socket.create_server(("127.0.0.1", 0)) as listener:
        def accept_one() -> None:
            conn, _ = listener.accept()
            try:
                with context.wrap_socket(conn, server_side=True) as tls:
                    server_saw.append(tls.selected_alpn_protocol() or "nothing")
            except ssl.SSLError:
                server_saw.append("(handshake failed)")
        thread = threading.Thread(target=accept_one)
        thread.start()
        client_saw = handshake(listener.getsockname()[1], files, ["http/1.1"])
        thread.join(timeout=5)
    return client_saw, server_saw[0] if server_saw else "(no connection)"
# --8<-- [end:python]


def ask(name: str, files: TLSFiles) -> dict[str, str]:
    """Start server `name` over TLS; offer it h2 and http/1.1, then only spdy/3.1."""
    port = free_port()
    with running(command(name, port, files), port=port, cwd=HERE):
        return {"server": name,
                "offers h2, http/1.1": handshake(port, files, ["h2", "http/1.1"]),
                "offers only spdy/3.1": handshake(port, files, ["spdy/3.1"])}


def report() -> tuple[tuple[str, str], list[dict[str, str]]]:
    """Python's ssl server, then every server of probe.py, asked side by side."""
    with certificates() as files, ThreadPoolExecutor(max_workers=len(SERVERS)) as pool:
        rows = list(pool.map(lambda name: ask(name, files), SERVERS))
        return python_ssl_server(files), rows


if __name__ == "__main__":
    (client_saw, server_saw), rows = report()
    print(f"Python's ssl server, ALPN h2 only; the client offers only http/1.1: "
          f"the client saw the handshake {client_saw}; the server selected {server_saw}.")
    print()
    print(table(rows))
