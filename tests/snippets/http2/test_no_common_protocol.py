"""no_common_protocol: RFC 7301 §3.2 wants a fatal alert when client and server share no
protocol; Python's ssl (and the servers built on it) completes the handshake instead.

The negotiation page and the tls-and-alpn lab say which servers do which: a release that
changes one cell fails here.
"""

from __future__ import annotations

from snippets.http2.no_common_protocol import python_ssl_server, report
from snippets.http2.probe import table
from snippets.http2.tlsfiles import certificates

EXPECTED_TABLE = """\
| server | offers h2, http/1.1 | offers only spdy/3.1 |
|---|---|---|
| uvicorn | completed, selected nothing | completed, selected nothing |
| uvicorn --http zttp --http2 | completed, selected h2 | completed, selected nothing |
| hypercorn | completed, selected h2 | completed, selected nothing |
| granian | completed, selected h2 | fatal alert: no_application_protocol |
| daphne | completed, selected h2 | fatal alert: internal_error |
| gunicorn -k asgi | completed, selected h2 | completed, selected nothing |"""


def test_python_ssl_completes_the_handshake_with_nothing_selected() -> None:
    # Not the RFC's fatal alert: CPython's ALPN callback returns SSL_TLSEXT_ERR_NOACK.
    with certificates() as files:
        assert python_ssl_server(files) == ("completed, selected nothing", "nothing")


def test_each_server_with_no_protocol_in_common(snippet_output) -> None:
    _, rows = report()
    assert table(rows) == EXPECTED_TABLE
    output = snippet_output("no_common_protocol.py")
    assert "the client saw the handshake completed, selected nothing; the server selected nothing." in output
    assert EXPECTED_TABLE in output
