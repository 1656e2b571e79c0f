"""onthewire.nginx: a real nginx from a configuration string, on a free port, with every file
in a temporary prefix; stopped, with its workers, when the block ends."""

from __future__ import annotations

from pathlib import Path

import httpx
import psutil
import pytest

from onthewire import nginx
from onthewire.serving import port_in_use, serving_asgi

pytestmark = pytest.mark.system("nginx")


async def _app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    headers = dict(scope["headers"])
    body = b"upstream saw x-proxied=" + headers.get(b"x-proxied", b"-")
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": body})


def test_proxies_to_the_upstream_and_stops(no_leftovers: None) -> None:
    server = """
        location / {
            proxy_pass http://app;
            proxy_set_header X-Proxied yes;
        }
    """
    with serving_asgi(_app) as upstream, nginx.serving_nginx(server, upstream=upstream) as proxy:
        reply = httpx.get(proxy.url + "/")
        master = psutil.Process(proxy.process.pid)
        workers = master.children()
        prefix = Path(master.cmdline()[master.cmdline().index("-p") + 1])
        assert prefix.is_dir()
    assert (reply.status_code, reply.text) == (200, "upstream saw x-proxied=yes")
    assert reply.headers["server"].startswith("nginx/")
    assert workers, "nginx started no worker process"
    assert not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers)
    assert not prefix.exists(), "the temporary prefix outlived nginx"
    assert not port_in_use(proxy.port)
    assert "start worker process" in proxy.output()  # the error log went to the output


def test_http_level_directives_and_no_upstream(no_leftovers: None) -> None:
    with nginx.serving_nginx('location / { return 200 "$greeting\\n"; }',
                             http='map $request_method $greeting { default "hello from a map"; }') as proxy:
        assert httpx.get(proxy.url).text == "hello from a map\n"


def test_configuration_keeps_every_file_in_the_prefix(tmp_path: Path) -> None:
    conf = nginx.configuration("location / { return 204; }", port=8080, prefix=tmp_path, upstream="http://127.0.0.1:9000")
    assert "daemon off;" in conf
    assert "listen 127.0.0.1:8080;" in conf
    assert "server 127.0.0.1:9000;" in conf
    for line in conf.splitlines():
        for directive in ("pid ", "access_log ", "_temp_path "):
            if directive in line:
                assert str(tmp_path) in line, line


def test_a_broken_configuration_fails_with_nginx_own_words(no_leftovers: None) -> None:
    from onthewire.serving import ServerDidNotStart

    with pytest.raises(ServerDidNotStart, match="unknown directive"):
        with nginx.serving_nginx("no_such_directive on;"):
            pass
