"""starlette_endpoints: function and class endpoints, subprotocol negotiation, and the close
code Starlette passes to on_disconnect."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette

from onthewire.serving import serving_asgi
from snippets.websockets import starlette_endpoints as se


@pytest.mark.parametrize("offer,agreed", [(["chat.v2", "chat.v1"], "chat.v2"), (["chat.v3", "chat.v1"], "chat.v1"),
                                          (["chat.v3"], None), ([], None)])
def test_subprotocol(offer: list[str], agreed: str | None) -> None:
    with serving_asgi(se.app) as url:
        assert se.chat(url, offer) == (agreed, f"[general, {agreed}] hello")


def test_counter_endpoint_and_on_disconnect() -> None:
    se.CLOSED_WITH.clear()
    with serving_asgi(se.app) as url:
        assert se.count(url, [5, -2]) == ['{"total":5}', '{"total":3}']
    assert se.CLOSED_WITH == [1000]


def test_starlette_1_has_no_route_decorators() -> None:
    # The page says routes go in the `routes` list: 1.0 removed @app.websocket_route.
    assert not hasattr(Starlette, "websocket_route") and not hasattr(Starlette, "add_websocket_route")
