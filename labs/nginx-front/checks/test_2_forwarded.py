"""Steps 2 and 4: the app sees the client's scheme, address and Host, as nginx forwards them."""

from __future__ import annotations

from front_checks import CLIENT, NGINX, SPOOFED, get
from onthewire.labs.kit import fail


def _why(answer: dict, name: str) -> str:
    """Which side to look at: nginx did not send X-Forwarded-NAME, or uvicorn did not believe it."""
    header = f"X-Forwarded-{name.title()}"
    sent = answer.get(f"x_forwarded_{name}")
    if sent is None:
        return f"nginx sent no {header} (TODO step 2 in nginx.conf)"
    return f"nginx sent {header}: {sent}, and uvicorn did not believe it (UVICORN_OPTIONS in serve.py)"


def test_app_sees_the_client(front, record_property) -> None:
    """the app sees scheme "https", the client's address (not nginx's) and the Host the client asked for

    Look at: proxy_set_header for Host, X-Forwarded-For and X-Forwarded-Proto in nginx.conf (TODO step 2); UVICORN_OPTIONS in serve.py (TODO step 4).
    """
    _, answer = get(front, http2=True, host="localhost")
    record_property("measured", f"the app saw scheme {answer.get('scheme')}, client {answer.get('client')}, "
                                f"Host {answer.get('host')}")
    if answer.get("scheme") != "https":
        fail(f"the client spoke https to nginx; the app saw scheme {answer.get('scheme')!r}: {_why(answer, 'proto')}")
    if answer.get("client") != CLIENT:
        who = " (nginx's address)" if answer.get("client") == NGINX else ""
        fail(f"the client connected from {CLIENT}; the app saw {answer.get('client')!r}{who}: {_why(answer, 'for')}")
    host = str(answer.get("host") or "")
    if host.rsplit(":", 1)[0] != "localhost":
        fail(f"the client asked for localhost; the app saw Host {host!r}: nginx sends its upstream's name unless told otherwise")


def test_client_cannot_pick_its_address(front) -> None:
    """through nginx, a client that sends its own X-Forwarded-For and X-Forwarded-Proto cannot change what the app sees

    Look at: X-Forwarded-For in nginx.conf: add the client's address to what it sent ($proxy_add_x_forwarded_for), or replace it; X-Forwarded-Proto: set it, from $scheme.
    """
    _, answer = get(front, http2=True, headers={"X-Forwarded-For": SPOOFED, "X-Forwarded-Proto": "http"})
    if answer.get("client") != CLIENT:
        fail(f"a client at {CLIENT} that sent X-Forwarded-For: {SPOOFED} made the app see {answer.get('client')!r}")
    if answer.get("scheme") != "https":
        fail(f"a client on https that sent X-Forwarded-Proto: http made the app see {answer.get('scheme')!r}")
