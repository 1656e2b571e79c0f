"""probe: which ASGI servers speak HTTP/2 over TLS (ALPN), by prior knowledge, by Upgrade.

The whole table is asserted: a server release that changes one cell fails here, and the
page's table and prose must be looked at again.
"""

from __future__ import annotations

from importlib.metadata import metadata, version

import pytest
import uvicorn

from snippets.http2.probe import probe_all, table

EXPECTED = f"""\
| server | versions | TLS, ALPN h2 + http/1.1 | app sees over TLS | h2c, prior knowledge | h2c, Upgrade |
|---|---|---|---|---|---|
| uvicorn | uvicorn {version("uvicorn")} | (none): http/1.1 | 1.1 | connection closed | 200, stays HTTP/1.1 |
| uvicorn --http zttp --http2 | uvicorn {version("uvicorn")} + zttp {version("zttp")} | h2 | 2 | HTTP/2, app sees 2 | 200, stays HTTP/1.1 |
| hypercorn | hypercorn {version("hypercorn")} | h2 | 2 | HTTP/2, app sees 2 | 101, then HTTP/2, app sees 2 |
| granian | granian {version("granian")} | h2 | 2 | HTTP/2, app sees 2 | 200, stays HTTP/1.1 |
| daphne | daphne {version("daphne")} | h2 | 2 | connection closed | 200, stays HTTP/1.1 |
| gunicorn -k asgi | gunicorn {version("gunicorn")} | h2 | 2 | HTTP/2, app sees 2 | 101, then HTTP/2, app sees 2 |"""


def test_the_table_is_what_the_servers_do() -> None:
    assert table(probe_all()) == EXPECTED


def test_the_page_shows_the_probe(snippet_output) -> None:
    assert snippet_output("probe.py").startswith(EXPECTED)


def test_uvicorn_http2_needs_the_zttp_parser() -> None:
    """The page says `--http2` requires `--http zttp`: with the default parser uvicorn refuses."""
    with pytest.raises(ValueError, match="HTTP/2 requires the `zttp` HTTP protocol"):
        uvicorn.Config("app:app", http2=True).load()


def test_zttp_still_calls_itself_alpha() -> None:
    """The page advises keeping uvicorn's HTTP/2 out of production while zttp says it is alpha."""
    assert "Development Status :: 3 - Alpha" in metadata("zttp").get_all("Classifier")


def test_gunicorn_still_calls_its_http2_beta() -> None:
    """The page's note says gunicorn's HTTP/2 is beta, as gunicorn's own description does."""
    assert "**HTTP/2 support** (beta)" in metadata("gunicorn")["Description"]
