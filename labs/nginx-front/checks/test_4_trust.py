"""Step 4: uvicorn believes X-Forwarded-* from nginx only."""

from __future__ import annotations

from front_checks import SPOOFED, direct
from onthewire.labs.kit import fail


def test_direct_client_cannot_spoof(front, record_property) -> None:
    """a client that reaches uvicorn directly, from 127.0.0.1, cannot claim https or another address

    Look at: UVICORN_OPTIONS in serve.py (TODO step 4): by default uvicorn trusts X-Forwarded-* from any client on 127.0.0.1.
    """
    answer = direct(front, {"X-Forwarded-Proto": "https", "X-Forwarded-For": SPOOFED})
    record_property("measured", f"a direct client claiming https from {SPOOFED}: the app saw "
                                f"scheme {answer.get('scheme')}, client {answer.get('client')}")
    if answer.get("scheme") != "http":
        fail(f"a direct client sent X-Forwarded-Proto: https over plain HTTP, and the app believed it (scheme {answer.get('scheme')!r})")
    if answer.get("client") != "127.0.0.1":
        fail(f"a direct client at 127.0.0.1 sent X-Forwarded-For: {SPOOFED}, and the app saw {answer.get('client')!r}")
