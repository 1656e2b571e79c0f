"""When the stock service fails: the fault is upstream, and the answer says so."""

from __future__ import annotations

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import fetch
from onthewire.serving import Running, free_port
from stock import TIMEOUT, is_json_error


def test_upstream_error_status_is_a_502(app: Running) -> None:
    """answers 502 with a JSON error when the stock service answers 500

    Look at: product() in app.py: what happens when the stock service's reply is an error?
    """
    reply = fetch(app, "GET", "/products/broken", timeout=TIMEOUT)
    assert reply.status_code == 502, f"the stock service answered 500; the app answered {reply.status_code}, want 502"
    assert is_json_error(reply), f"want a JSON body like {{\"error\": ...}}; got {reply.text[:80]!r}"


def test_unreachable_upstream_is_a_502(serve: ServeFactory) -> None:
    """answers 502 with a JSON error when the stock service can't be reached

    Look at: product() in app.py: which exceptions can httpx raise besides an error status?
    """
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with serve(env={"UPSTREAM_URL": nowhere}) as server:
        reply = fetch(server, "GET", "/products/kettle", timeout=TIMEOUT)
    assert reply.status_code == 502, f"with no stock service, the app answered {reply.status_code}, want 502"
    assert is_json_error(reply), f"want a JSON body like {{\"error\": ...}}; got {reply.text[:80]!r}"
