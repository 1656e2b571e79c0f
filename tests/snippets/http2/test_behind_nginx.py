"""behind_nginx: HTTP/2 ends at nginx; the app behind it sees 1.1, the app served directly sees 2."""

from __future__ import annotations

import pytest

from snippets.http2.behind_nginx import direct, through_nginx
from snippets.http2.tlsfiles import certificates

pytestmark = pytest.mark.system("nginx")


def test_the_scope_tells_the_hop_not_the_client(snippet_output) -> None:
    with certificates() as files:
        assert through_nginx(files) == ("HTTP/2", "1.1")
        assert direct(files) == ("HTTP/2", "2")
    out = snippet_output("behind_nginx.py")
    assert "app's scope http_version = '1.1'" in out and "app's scope http_version = '2'" in out
