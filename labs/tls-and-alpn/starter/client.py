"""Ask a TLS server which application protocol it speaks, the way browsers do: with ALPN
(RFC 7301). The client lists protocols in its ClientHello, most preferred first; the server
names the one it picked in its reply, and the TLS handshake ends with both knowing.

Run it while `wire start tls-and-alpn` runs, with the CA file that serve.py printed:

    python client.py --ca CA_FILE h2 http/1.1
    python client.py --ca CA_FILE http/1.1
"""

from __future__ import annotations

import argparse
import socket
import ssl


def negotiate(host: str, port: int, cafile: str, offer: list[str]) -> str | None:
    """Complete a TLS handshake offering `offer`; return the protocol the server selected, or None."""
    context = ssl.create_default_context(cafile=cafile)  # trust this CA only, check the address
    # TODO (step 4): the ClientHello offers `offer`, in this order (RFC 7301 §3.1).
    with socket.create_connection((host, port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            # TODO (step 4): the protocol the server selected, or None if it selected none (RFC 7301 §3.2).
            return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("offer", nargs="*", default=["h2", "http/1.1"], help="protocols to offer (default: h2 http/1.1)")
    parser.add_argument("--ca", required=True, help="the CA certificate serve.py printed")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8443)
    args = parser.parse_args()
    selected = negotiate(args.host, args.port, args.ca, args.offer)
    print(f"offered {', '.join(args.offer)}: the server selected {selected or 'nothing (HTTP/1.1)'}")


if __name__ == "__main__":
    main()
