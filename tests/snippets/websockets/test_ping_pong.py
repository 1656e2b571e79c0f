"""ping_pong: uvicorn pings, a pong with the same payload keeps the connection, a client's
ping gets a pong with its own payload, and messages flow in between."""

from __future__ import annotations

from snippets.websockets import ping_pong


def test_play() -> None:
    log = ping_pong.play()
    assert log[:3] == ["server: ping, 4-byte payload -> client: pong, same payload"] * 3
    assert log[3] == "client: ping b'still there?' -> server: pong, b'still there?'"
    assert log[4] == "client: text b'Hello' -> server: text, b'Hello'"


def test_uvicorns_defaults_are_the_pages() -> None:
    # The protocol, proxies and chat pages: a ping every 20 s, and 20 s more for its pong.
    import uvicorn

    config = uvicorn.Config("snippets.websockets.echo_app:app")
    assert (config.ws_ping_interval, config.ws_ping_timeout) == (20, 20)
