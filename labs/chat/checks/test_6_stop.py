"""Step 6: the server stops when asked, with people still in the room, and leaves nothing behind."""

from __future__ import annotations

import time

from websockets.exceptions import ConnectionClosed

from chat_checks import join
from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import TIMEOUT, wait_for_exit
from onthewire.serving import port_in_use

STOP_WAIT = 10  # seconds


def test_stops_with_clients_connected(serve: ServeFactory, record_property) -> None:
    """stops when asked (SIGTERM) with clients connected, closes their connections with 1012, and frees its port

    Look at: the loop in chat(): it must end when receive() says the connection is gone
    """
    with serve() as server:
        ada = join(server, "ada", own_join=False)
        bob = join(server, "bob", own_join=False)
        started = time.monotonic()
        server.process.terminate()
        # Not a speed limit: uvicorn waits for every endpoint to return, so a finally: block
        # that never ends keeps the server up for ever, and the check gives up after STOP_WAIT.
        if wait_for_exit(server, STOP_WAIT) is None:
            raise AssertionError(f"the server was still running {STOP_WAIT} s after SIGTERM, with two clients connected")
        took = time.monotonic() - started
        record_property("measured", f"stopped {took:.1f} s after SIGTERM")
        for ws, who in [(ada, "ada"), (bob, "bob")]:
            try:
                while True:
                    ws.recv(timeout=TIMEOUT)
            except ConnectionClosed as e:
                code = e.rcvd.code if e.rcvd else None
                assert code in (1001, 1012), f"{who}'s connection closed with {code}, want 1012 (service restart)"
            except TimeoutError:
                raise AssertionError(f"{who}'s connection stayed open after the server stopped") from None
            finally:
                ws.close()
        assert not port_in_use(server.port), f"port {server.port} is still in use after the server stopped"
