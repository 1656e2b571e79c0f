"""Run the lab: app.py under hypercorn, over TLS, with a certificate made for 127.0.0.1.

`wire start tls-and-alpn` runs this file. It makes a throwaway certificate authority and a
certificate for 127.0.0.1 that it signs (with the `openssl` command), prints where the CA's
certificate is, so that clients can trust it, and serves the app with hypercorn on
https://HOST:PORT until Ctrl-C or SIGTERM; then the certificates are deleted.

    python serve.py --port 8443                  h2 and http/1.1, h2 preferred
    python serve.py --port 8443 --http1-only     http/1.1 only

README.md says what to change here (make_config), and why.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from hypercorn.asyncio import serve
from hypercorn.config import Config

from app import app
from snippets.http2.tlsfiles import TLSFiles, certificates


# --8<-- [start:config]
def make_config(host: str, port: int, files: TLSFiles, http1_only: bool = False) -> Config:
    """hypercorn's settings: where to listen, with which certificate, offering which protocols."""
    config = Config()
    config.bind = [f"{host}:{port}"]
    config.accesslog = "-"  # one line per request, with the protocol it came in
    # TODO (step 1): hypercorn serves TLS, with the certificate and the key in `files` (RFC 8446).
    # TODO (step 2): the protocols this server selects from with ALPN, in its order of preference:
    # h2, then http/1.1; http/1.1 alone when `http1_only` (RFC 7301 §3.2).
    return config
# --8<-- [end:config]


async def main(host: str, port: int, http1_only: bool) -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    with certificates() as files:
        print(f"CA certificate: {files.ca}", flush=True)
        print(f"Serving https://{host}:{port}/ (try: python client.py --ca {files.ca} --port {port})", flush=True)
        await serve(app, make_config(host, port, files, http1_only), shutdown_trigger=stopping.wait)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8443)
    parser.add_argument("--http1-only", action="store_true", help="select http/1.1 even for clients that offer h2")
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port, args.http1_only))
