"""Step 1: nginx terminates TLS and speaks HTTP/2 to the client."""

from __future__ import annotations

from front_checks import alpn, get
from onthewire.labs.kit import fail


def test_tls_and_h2_to_the_client(front, record_property) -> None:
    """nginx serves TLS for 127.0.0.1 and selects h2 by ALPN; httpx with http2=True speaks HTTP/2

    Look at: the listen line in nginx.conf (`ssl http2`), ssl_certificate and ssl_certificate_key (TODO step 1).
    """
    selected = alpn(front, ["h2", "http/1.1"])
    spoken, _ = get(front, http2=True)
    record_property("measured", f"ALPN selected {selected}; httpx spoke {spoken} to nginx")
    if selected != "h2":
        fail(f"offered h2 and http/1.1, nginx selected {selected!r}: is http2 on the listen line?")
    if spoken != "HTTP/2":
        fail(f"httpx offered h2 and spoke {spoken} to nginx")


def test_http11_clients_too(front) -> None:
    """a client that offers only http/1.1 is served too, over HTTP/1.1

    Look at: the listen line in nginx.conf: HTTP/2 is offered, not required.
    """
    spoken, answer = get(front, http2=False)
    if spoken != "HTTP/1.1":
        fail(f"httpx offered only http/1.1 and spoke {spoken} to nginx")
    if answer.get("scheme") not in ("http", "https"):
        fail(f"the app's answer over HTTP/1.1 was {answer}")
