"""Step 3: a streamed body passes through piece by piece, as the app makes it."""

from __future__ import annotations

from pathlib import Path

import httpx

from mw_checks import the_metric
from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import TIMEOUT, why


def test_streams_each_piece(serve: ServeFactory, markers: Path) -> None:
    """passes the first piece of a streamed body on before the app makes the next

    Look at: your send: does it pass every http.response.body on at once, or keep them until more_body is False?
    """
    with serve(app="starlette_app:app") as server:
        try:
            with httpx.Client(base_url=server.url, timeout=TIMEOUT) as client, client.stream("GET", "/stream") as reply:
                pieces = reply.iter_bytes()
                first = next(pieces, b"")
                (markers / "go").touch()  # only now does the app make its second piece
                rest = b"".join(pieces)
        except httpx.TimeoutException:
            raise AssertionError(
                f"the first piece of a streamed body had not arrived {TIMEOUT:g} s after the request; the app sends "
                "the second only once the client has the first: is the body held back?") from None
        except httpx.HTTPError as e:
            raise AssertionError(f"GET /stream: no proper response ({type(e).__name__}: {e}){why(server)}") from None
        finally:
            (markers / "go").touch()  # let the app finish either way
    assert reply.status_code == 200, f"GET /stream answered {reply.status_code}{why(server)}"
    assert first + rest == b"first\nsecond\n", f"the streamed body arrived as {first + rest!r}"
    the_metric(reply)
