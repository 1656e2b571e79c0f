"""http3: hypercorn advertises HTTP/3 in alt-svc over TCP, and answers over QUIC with ALPN h3."""

from __future__ import annotations

from snippets.http2.http3 import demonstrate
from snippets.http2.tlsfiles import certificates


def test_alt_svc_then_http3() -> None:
    with certificates() as files:
        spoken, alt_svc, h3 = demonstrate(files)
    assert spoken == "HTTP/2"
    assert alt_svc.startswith('h3=":PORT"')  # same host, the UDP port hypercorn bound
    assert h3.alpn == "h3"
    assert h3.status == 200
    assert h3.body == "http_version 3\n"


def test_the_page_shows_http3(snippet_output) -> None:
    assert snippet_output("http3.py") == (
        'over TCP, HTTP/2:  alt-svc: h3=":PORT"; ma=3600\n'
        "over QUIC: ALPN 'h3', status 200, body: http_version 3\n"
    )
