"""size_limit: --ws-max-size closes with 1009, from the header alone; so does the client's
own max_size."""

from __future__ import annotations

from onthewire.serving import free_port, running
from snippets.websockets import size_limit


def test_server_limit() -> None:
    port = free_port()
    with running(size_limit.uvicorn("--port", str(port), "--ws-max-size", "1024"), port=port) as server:
        ws_url = server.url.replace("http://", "ws://") + "/echo"
        assert size_limit.send_and_echo(ws_url, 1024) == "echoed 1024 characters"
        assert size_limit.send_and_echo(ws_url, 1025).startswith("closed by the server with 1009")
        frame = size_limit.announce_huge(server.url)
    assert (frame.kind, frame.close_code) == ("close", 1009)


def test_client_limit() -> None:
    port = free_port()
    with running(size_limit.uvicorn("--port", str(port)), port=port) as server:
        ws_url = server.url.replace("http://", "ws://") + "/echo"
        assert size_limit.send_and_echo(ws_url, 2000, client_max=1000).startswith("closed by the client with 1009")
        assert size_limit.send_and_echo(ws_url, 2000, client_max=None) == "echoed 2000 characters"


def test_the_default_limits_the_page_names() -> None:
    # The security page: uvicorn's --ws-max-size is 16 MiB by default, the websockets
    # client's max_size 1 MiB.
    import inspect

    import uvicorn
    from websockets.sync.client import connect

    assert uvicorn.Config("snippets.websockets.echo_app:app").ws_max_size == 16 * 1024 * 1024
    assert inspect.signature(connect).parameters["max_size"].default == 1024 * 1024
