"""Step 2: a client, or a server, that speaks http/1.1 only gets http/1.1."""

from __future__ import annotations

from onthewire.labs.kit import fail
from tls_checks import alpn, get, started


def test_http11_client_gets_http11(server) -> None:
    """selects http/1.1 for a client that offers only http/1.1

    Look at: config.alpn_protocols in make_config(): the server picks from what the client offered.
    """
    selected = alpn(server, ["http/1.1"])
    if selected != "http/1.1":
        fail(f"offered only http/1.1, the server selected {selected!r}")


def test_no_common_protocol_selects_none(server) -> None:
    """selects nothing, and still completes the handshake, when the client offers no protocol it knows

    RFC 7301 §3.2 asks for a fatal no_application_protocol alert here; hypercorn's TLS is
    Python's ssl, whose ALPN callback completes the handshake with nothing selected instead.

    Look at: config.alpn_protocols: the server never selects a protocol the client did not offer.
    """
    selected = alpn(server, ["spdy/3.1"])
    if selected is not None:
        fail(f"offered only spdy/3.1, the server selected {selected!r}")


def test_http1_only_server(serve, record_property) -> None:
    """with --http1-only, never selects h2: http/1.1 for a client that offers h2 first, nothing for one that offers h2 alone

    Look at: make_config(): with http1_only, h2 is not on the server's ALPN list at all.
    """
    with started(serve, "--http1-only") as server:
        selected = alpn(server, ["h2", "http/1.1"])
        only_h2 = alpn(server, ["h2"])
        spoken, _ = get(server, http2=True)
    record_property("measured", f"offered h2, http/1.1: selected {selected}; offered h2: selected {only_h2}; "
                                f"httpx spoke {spoken}")
    if selected != "http/1.1":
        fail(f"started with --http1-only and offered h2 and http/1.1, the server selected {selected!r}")
    if only_h2 is not None:
        fail(f"started with --http1-only and offered only h2, the server selected {only_h2!r}: h2 is still on its list")
    if spoken != "HTTP/1.1":
        fail(f"started with --http1-only, the server spoke {spoken} to httpx")
