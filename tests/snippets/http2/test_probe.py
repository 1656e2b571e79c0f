"""probe: which of five ASGI servers speaks HTTP/2 over TLS (ALPN), by prior knowledge, by Upgrade.

The whole table is asserted: a server release that changes one cell fails here, and the
page's table and prose must be looked at again.
"""

from __future__ import annotations

from importlib.metadata import version

from snippets.http2.probe import probe_all, table

EXPECTED = f"""\
| server | TLS, ALPN h2 + http/1.1 | app sees over TLS | h2c, prior knowledge | h2c, Upgrade |
|---|---|---|---|---|
| uvicorn {version("uvicorn")} | (none): http/1.1 | 1.1 | connection closed | 200, stays HTTP/1.1 |
| hypercorn {version("hypercorn")} | h2 | 2 | HTTP/2, app sees 2 | 101, then HTTP/2, app sees 2 |
| granian {version("granian")} | h2 | 2 | HTTP/2, app sees 2 | 200, stays HTTP/1.1 |
| daphne {version("daphne")} | h2 | 2 | connection closed | 200, stays HTTP/1.1 |
| gunicorn {version("gunicorn")} | h2 | 2 | HTTP/2, app sees 2 | 101, then HTTP/2, app sees 2 |"""


def test_the_table_is_what_the_servers_do() -> None:
    assert table(probe_all()) == EXPECTED


def test_the_page_shows_the_probe(snippet_output) -> None:
    assert snippet_output("probe.py").startswith(EXPECTED)
