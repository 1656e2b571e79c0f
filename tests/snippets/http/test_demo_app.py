"""The demo app's routes make uvicorn frame responses in each way the pages rely on."""

from __future__ import annotations

import httpx

from onthewire.serving import serving_asgi
from snippets.http.demo_app import PIECES, app


def test_each_route_through_a_real_server_and_client() -> None:
    with serving_asgi(app) as url, httpx.Client(base_url=url, timeout=5) as client:
        hello = client.get("/")
        assert hello.text == "hello\n"
        assert hello.headers["content-length"] == "6"

        seen = client.get("/headers", headers={"X-Demo": "on"}).text.splitlines()
        assert "host: '127.0.0.1:" in seen[0]
        assert any(line.startswith("x-demo: ") for line in seen)  # names arrive lowercased

        assert client.post("/echo?a=1", content=b"abc").text == "POST /echo?a=1 got 3 bytes: b'abc'\n"

        streamed = client.get("/stream")
        assert streamed.headers["transfer-encoding"] == "chunked"
        assert "content-length" not in streamed.headers
        assert streamed.content == b"".join(PIECES)

        assert client.get("/slow").text == "slow\n"
