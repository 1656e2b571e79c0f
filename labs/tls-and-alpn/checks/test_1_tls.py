"""Step 1 and 2: TLS with a certificate for 127.0.0.1, and h2 selected by ALPN."""

from __future__ import annotations

from onthewire.labs.kit import fail
from tls_checks import alpn, handshake


def test_serves_tls_for_127_0_0_1(server, record_property) -> None:
    """serves TLS with a certificate for 127.0.0.1, signed by the CA serve.py printed

    Look at: make_config() in serve.py: config.certfile and config.keyfile (TODO step 1).
    """
    with handshake(server, None) as tls:
        version, cipher = tls.version(), tls.cipher()[0]
    record_property("measured", f"{version}, {cipher}")
    if version != "TLSv1.3":  # RFC 8446; Python's ssl and hypercorn both prefer it
        fail(f"the handshake settled on {version}, not TLSv1.3")


def test_selects_h2_when_offered(server, record_property) -> None:
    """selects h2 when the client offers h2, then http/1.1 (ALPN, RFC 7301)

    Look at: config.alpn_protocols in make_config() (TODO step 2): the server's list, h2 first.
    """
    selected = alpn(server, ["h2", "http/1.1"])
    record_property("measured", f"offered h2, http/1.1: the server selected {selected}")
    if selected != "h2":
        fail(f"offered h2 and http/1.1, the server selected {selected!r}, not 'h2'")
