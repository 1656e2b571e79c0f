"""What the app sees behind a proxy: the client's address, the Host it asked for, the scheme.

Behind Nginx, the app's TCP peer is Nginx. Unless Nginx passes the facts on in headers, the
app sees Nginx's address as the client's, the upstream's name as the Host, and "http" where
the client used HTTPS: wrong links in emails, redirect loops, rate limits that hit every
user at once. Here the client connects from 127.0.0.2 (any 127.x.y.z address is this
machine) and asks for https://shop.example; Nginx (TLS, a self-signed certificate) and
Gunicorn run on 127.0.0.1. Gunicorn believes X-Forwarded-Proto only from the addresses in
--forwarded-allow-ips; the first line printed is its default, and uvicorn's, as the
installed packages define them (both read FORWARDED_ALLOW_IPS from the environment first).

Run it:  python proxy_headers.py
Try:     --forwarded-allow-ips '*' on the lying client's Gunicorn; werkzeug's ProxyFix
         around the app, to take REMOTE_ADDR from X-Forwarded-For.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import httpx
import uvicorn
from gunicorn.config import ForwardedAllowIPS

from snippets.production.servers import gunicorn, nginx

CLIENT_ADDRESS = "127.0.0.2"
HOST_HEADER = "shop.example"
LIES = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}  # a client's own claims


def ask(url: str, cafile: str | None = None, headers: dict | None = None,
        local_address: str = CLIENT_ADDRESS) -> dict:
    """GET /environ from `local_address`, with Host: shop.example; what the app saw."""
    verify = ssl.create_default_context(cafile=cafile) if cafile else True
    transport = httpx.HTTPTransport(local_address=local_address, verify=verify)
    with httpx.Client(transport=transport, timeout=10) as client:
        answer = client.get(f"{url}/environ", headers={"Host": HOST_HEADER, **(headers or {})})
        answer.raise_for_status()
        return answer.json()


def default_allow_ips() -> dict[str, str]:
    """Each server's --forwarded-allow-ips when none is given, read from the package itself."""
    return {
        "gunicorn": ForwardedAllowIPS.default,
        "uvicorn": uvicorn.Config("app:app").forwarded_allow_ips,  # the app is not loaded
    }


# --8<-- [start:cases]
def cases() -> Iterator[tuple[str, dict]]:
    with gunicorn("--workers", "1") as app:
        yield "straight to Gunicorn", ask(app.url)
        with nginx(app.port, location="bare", tls=True) as proxy:
            yield "HTTPS to Nginx, proxy_pass alone", ask(proxy.url, proxy.cafile)
        with nginx(app.port, location="headers", tls=True) as proxy:
            yield "HTTPS to Nginx, forwarding headers", ask(proxy.url, proxy.cafile)
            yield "... and a client that lies", ask(proxy.url, proxy.cafile, LIES)
        yield "a liar on 127.0.0.1, straight to Gunicorn", ask(app.url, headers=LIES, local_address="127.0.0.1")
    with gunicorn("--workers", "1", "--forwarded-allow-ips", "10.0.0.5") as app:
        with nginx(app.port, location="headers", tls=True) as proxy:
            yield "forwarding headers, Nginx not in --forwarded-allow-ips", ask(proxy.url, proxy.cafile)
# --8<-- [end:cases]


if __name__ == "__main__":
    defaults = default_allow_ips()
    print("--forwarded-allow-ips by default: " + "; ".join(f"{name} {value}" for name, value in defaults.items()))
    for title, seen in cases():
        print(f"{title}:")
        for key, value in seen.items():
            print(f"  {key:24} {value}")
