"""Outside clients: curl and nghttp2's load generator, h2load."""

from __future__ import annotations

import re
import shutil

import pytest
from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import run_tool


def test_curl(serve_app: ServeFactory) -> None:
    """answers `curl --http2-prior-knowledge`, a GET and a POST

    Look at: Stream.send() and Stream.receive(): the HEADERS with :status, then DATA
    """
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    with serve_app() as server:
        got = run_tool(["curl", "-sS", "-i", "--http2-prior-knowledge", "--max-time", "5", f"{server.url}/curl"])
        posted = run_tool(["curl", "-sS", "--http2-prior-knowledge", "--max-time", "5", "--data-binary", "hello h2",
                           f"{server.url}/echo"])
    assert got.startswith("HTTP/2 200"), f"curl's status line should be 'HTTP/2 200'; it printed {got[:120]!r}"
    assert "GET /curl HTTP/2" in got, f"unexpected body from curl: {got[-120:]!r}"
    assert posted == "hello h2", f"POST /echo should send back 'hello h2'; curl printed {posted[:120]!r}"


def test_h2load(serve_app: ServeFactory, record_property) -> None:
    """answers all 1000 requests of `h2load -n 1000 -c 2 -m 100` (100 streams at once per connection)

    Look at: Connection.request_received() and Stream.run(): a task per stream, and the stream forgotten when done
    """
    if shutil.which("h2load") is None:
        pytest.skip("h2load (nghttp2-client) is not installed")
    with serve_app() as server:
        output = run_tool(["h2load", "-n", "1000", "-c", "2", "-m", "100", "-T", "10", f"{server.url}/"], timeout=30)
    line = next((x for x in output.splitlines() if x.startswith("requests:")), "")
    record_property("measured", line.removeprefix("requests: ") or "no summary from h2load")
    assert re.search(r"\b1000 succeeded, 0 failed", line), f"h2load: {line or output[-200:]!r}"
