"""HTTP/2 over TLS, chosen with ALPN: the optional --certfile and --keyfile (given code)."""

from __future__ import annotations

import httpx
from h2_checks import TIMEOUT
from onthewire.labs.harness import ServeFactory
from snippets.http2.tlsfiles import certificates, client_context


def test_tls_with_alpn(serve: ServeFactory) -> None:
    """serves HTTP/2 over TLS with --certfile and --keyfile, when the client chooses h2 with ALPN

    Look at: tls_context() and serve() (given): did an edit break them?
    """
    from h2_checks import APPS

    with certificates() as files:
        args = ["--grace", "1", "--certfile", str(files.cert), "--keyfile", str(files.key)]
        with serve(app="h2_apps:app", app_dir=APPS, args=args) as server:
            url = f"https://{server.host}:{server.port}/tls"
            with httpx.Client(verify=client_context(files), http2=True, timeout=TIMEOUT) as c:
                try:
                    reply = c.get(url)
                except httpx.HTTPError as e:
                    raise AssertionError(f"GET {url}: no proper response ({type(e).__name__}: {e})") from None
    assert reply.http_version == "HTTP/2", f"over TLS the client and server agreed on {reply.http_version}, want HTTP/2"
    assert reply.text == "GET /tls HTTP/2\n", f"GET /tls over TLS got {reply.text!r}"
