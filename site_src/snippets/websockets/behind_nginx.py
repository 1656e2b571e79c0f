"""WebSockets through nginx (Debian's), started for real in front of uvicorn.

1. A plain `proxy_pass`: nginx speaks HTTP/1.0 to the upstream and does not forward the
   hop-by-hop Upgrade and Connection headers, so uvicorn sees an ordinary GET.
2. With `proxy_http_version 1.1` and the two headers set, the handshake goes through, and
   nginx relays frames both ways from then on.
3. nginx closes a proxied WebSocket on which nothing arrived from the upstream for
   `proxy_read_timeout` (60 s by default; 1 s here so that it runs fast), unless pings,
   from either side, keep bytes moving. Times are only bounds from below: the silent socket
   closes, and not before the timeout; the pinged ones are open after twice the timeout.

nginx's guide: https://nginx.org/en/docs/http/websocket.html

Run it:  python behind_nginx.py
Try:     set `proxy_send_timeout 1s;` instead of `proxy_read_timeout`. Which direction
         does each one watch?
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from onthewire.nginx import serving_nginx
from onthewire.serving import serving_asgi
from snippets.websockets.echo_app import app

# --8<-- [start:plain]
PLAIN = """
location / {
    proxy_pass http://app;
}
"""
# --8<-- [end:plain]

# --8<-- [start:upgrade]
# http level: Connection: upgrade when the client asked for an upgrade, close otherwise
CONNECTION_MAP = """
map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
}
"""
WEBSOCKET = """
location / {
    proxy_pass http://app;
    proxy_http_version 1.1;
    proxy_set_header Upgrade $http_upgrade;
    proxy_set_header Connection $connection_upgrade;
    proxy_set_header Host $host;
    proxy_read_timeout 1s;
}
"""
# --8<-- [end:upgrade]
TIMEOUT = 1.0  # proxy_read_timeout above
SEEN: list[str] = []  # what reached uvicorn, one entry per connection scope


async def recording(scope: dict, receive: Callable, send: Callable) -> None:
    if scope["type"] in ("http", "websocket"):
        SEEN.append(f"{scope['type']} {scope['path']}, HTTP/{scope['http_version']}")
    await app(scope, receive, send)

IDLE = 2 * TIMEOUT


def ws(url: str) -> str:
    return url.replace("http://", "ws://") + "/echo"


def handshake(proxy_url: str) -> tuple[str, str]:
    """(what the client got, what reached uvicorn)."""
    SEEN.clear()
    try:
        with connect(ws(proxy_url)) as websocket:
            websocket.send("through nginx")
            answer = f"101, echo {websocket.recv(timeout=5)!r}"
    except InvalidStatus as refused:
        answer = f"{refused.response.status_code}, no WebSocket"
    return answer, ", ".join(SEEN)


def closes_when_silent(proxy_url: str) -> tuple[str, float]:
    """Send nothing and no pings until the connection ends: how it ended, and after how long."""
    started = time.monotonic()
    with connect(ws(proxy_url), ping_interval=None) as websocket:
        try:
            websocket.recv(timeout=30)  # bounds a failure only: nginx closes long before
        except ConnectionClosed as closed:
            how = f"closed with {closed.rcvd.code}" if closed.rcvd else "closed, no Close frame"
            return how, time.monotonic() - started
        except TimeoutError:
            raise AssertionError("nginx kept a silent WebSocket open for 30 s") from None
    raise AssertionError("the echo server sent something unasked")


def stays_open(proxy_url: str, client_pings: float | None) -> bool:
    """Send nothing for IDLE seconds (at least), then a message: does its echo come back?"""
    with connect(ws(proxy_url), ping_interval=client_pings) as websocket:
        try:
            websocket.recv(timeout=IDLE)  # the echo server sends nothing unasked
        except TimeoutError:
            pass
        except ConnectionClosed:
            return False
        try:
            websocket.send("still here?")
            return websocket.recv(timeout=5) == "still here?"
        except ConnectionClosed:
            return False


def timeout_lines(log: str) -> list[str]:
    """nginx's error log lines about the timeout, without date, pid and addresses."""
    found = re.findall(r"\[info\] \d+#\d+: \*\d+ (upstream timed out \([^)]*\) while [a-z ]+)", log)
    return sorted(set(found))


def main() -> None:
    with serving_asgi(recording, ws_ping_interval=None) as upstream:  # uvicorn sends no pings
        with serving_nginx(PLAIN, upstream=upstream) as proxy:
            answer, seen = handshake(proxy.url)
            print(f"plain proxy_pass\n  the client got: {answer}\n  uvicorn got:    {seen}")
        # nginx logs the timeout of an upgraded connection at the info level
        with serving_nginx(WEBSOCKET, upstream=upstream, http=CONNECTION_MAP, log_level="info") as proxy:
            answer, seen = handshake(proxy.url)
            print(f"HTTP/1.1, Upgrade, Connection\n  the client got: {answer}\n  uvicorn got:    {seen}")
            how, took = closes_when_silent(proxy.url)
            print(f"silent, no pings: {how}, not before proxy_read_timeout ({TIMEOUT:g} s): "
                  f"{took >= TIMEOUT * 0.9}")
            print(f"silent for {IDLE:g} s, twice the timeout, with pings")
            print(f"  from the client: still open: {stays_open(proxy.url, client_pings=TIMEOUT / 4)}")
        log = proxy.output()
    with serving_asgi(app, ws_ping_interval=TIMEOUT / 4) as upstream:  # uvicorn pings
        with serving_nginx(WEBSOCKET, upstream=upstream, http=CONNECTION_MAP) as proxy:
            print(f"  from uvicorn:    still open: {stays_open(proxy.url, client_pings=None)}")
    print("nginx's error log said:", *timeout_lines(log), sep="\n  ")


if __name__ == "__main__":
    main()
