"""What the app sees behind a proxy: the client speaks HTTP/2 to nginx (TLS with ALPN), nginx
speaks HTTP/1.1 to uvicorn, and the app's scope says "1.1". Started directly under
hypercorn over TLS, the same app says "2".

Run it:  python behind_nginx.py     (needs nginx: apt-get install nginx)
"""

from __future__ import annotations

import httpx

from onthewire.nginx import serving_nginx
from onthewire.serving import free_port, python, running, serving_asgi
from snippets.http2.app import app
from snippets.http2.probe import HERE
from snippets.http2.tlsfiles import TLSFiles, certificates, client_context

# --8<-- [start:nginx]
SERVER = """
ssl_certificate {cert};
ssl_certificate_key {key};
location / {{
    proxy_pass http://app;          # nginx 1.22 speaks HTTP/1.0 or 1.1 upstream, never HTTP/2
    proxy_http_version 1.1;
}}
"""
# --8<-- [end:nginx]


def through_nginx(files: TLSFiles) -> tuple[str, str]:
    """(what the client spoke to nginx, what the app saw), uvicorn behind nginx."""
    with serving_asgi(app) as upstream:
        config = SERVER.format(cert=files.cert, key=files.key)
        with serving_nginx(config, upstream=upstream, listen_options="ssl http2") as proxy:
            with httpx.Client(http2=True, verify=client_context(files), timeout=5) as client:
                response = client.get(f"https://127.0.0.1:{proxy.port}/")
    return response.http_version, response.text.split()[-1]


def direct(files: TLSFiles) -> tuple[str, str]:
    """(what the client spoke, what the app saw), hypercorn serving the app itself over TLS."""
    port = free_port()
    command = [python(), "-m", "hypercorn", "app:app", "--bind", f"127.0.0.1:{port}",
               "--certfile", str(files.cert), "--keyfile", str(files.key)]
    with running(command, port=port, cwd=HERE):
        with httpx.Client(http2=True, verify=client_context(files), timeout=5) as client:
            response = client.get(f"https://127.0.0.1:{port}/")
    return response.http_version, response.text.split()[-1]


if __name__ == "__main__":
    with certificates() as files:
        for label, (spoken, seen) in [("client -> nginx -> uvicorn", through_nginx(files)),
                                      ("client -> hypercorn", direct(files))]:
            print(f"{label:<28} client spoke {spoken:<9} app's scope http_version = {seen!r}")
