"""behind_nginx: the handshake fails through a plain proxy_pass and works with HTTP/1.1 and
the Upgrade headers; proxy_read_timeout closes a silent WebSocket, pings from either side
keep it open."""

from __future__ import annotations

import pytest

from onthewire.nginx import serving_nginx
from onthewire.serving import serving_asgi
from snippets.websockets import behind_nginx as bn
from snippets.websockets.echo_app import app

pytestmark = pytest.mark.system("nginx")


def test_handshake_needs_the_upgrade_headers() -> None:
    with serving_asgi(bn.recording, ws_ping_interval=None) as upstream:
        with serving_nginx(bn.PLAIN, upstream=upstream) as proxy:
            assert bn.handshake(proxy.url) == ("404, no WebSocket", "http /echo, HTTP/1.0")
        with serving_nginx(bn.WEBSOCKET, upstream=upstream, http=bn.CONNECTION_MAP) as proxy:
            assert bn.handshake(proxy.url) == ("101, echo 'through nginx'", "websocket /echo, HTTP/1.1")


def test_idle_timeout_and_pings() -> None:
    # Time only from below: the silent socket is closed, and not before the timeout; the
    # pinged ones are still open after twice the timeout.
    with serving_asgi(app, ws_ping_interval=None) as upstream:
        with serving_nginx(bn.WEBSOCKET, upstream=upstream, http=bn.CONNECTION_MAP, log_level="info") as proxy:
            how, took = bn.closes_when_silent(proxy.url)
            assert how == "closed, no Close frame" and took >= bn.TIMEOUT * 0.9
            assert bn.stays_open(proxy.url, client_pings=bn.TIMEOUT / 4)
        assert bn.timeout_lines(proxy.output()) == ["upstream timed out (110: Connection timed out) while proxying upgraded connection"]
    with serving_asgi(app, ws_ping_interval=bn.TIMEOUT / 4) as upstream:
        with serving_nginx(bn.WEBSOCKET, upstream=upstream, http=bn.CONNECTION_MAP) as proxy:
            assert bn.stays_open(proxy.url, client_pings=None)
