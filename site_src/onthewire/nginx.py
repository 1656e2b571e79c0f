"""Run a real nginx in front of something, from a configuration written in a string.

    from onthewire.nginx import serving_nginx

    with serving_nginx(LOCATIONS, upstream=uvicorn_url) as proxy:
        httpx.get(proxy.url)

`server` is the body of one `server { }` block (locations, timeouts); the helper adds
`listen 127.0.0.1:PORT` on a free port, and, when `upstream` is given, an `upstream app`
block, so that the configuration says `proxy_pass http://app;`. Everything nginx writes
(the pid file, logs, the *_temp_path folders) stays in a temporary prefix folder that is
removed afterwards. nginx runs in the foreground (`daemon off;`) under
`onthewire.serving.running`, and its error log goes to its stderr: `proxy.output()`.

Debian's nginx is 1.22: `listen ... ssl http2;` is its HTTP/2 syntax (`http2 on;` came in
1.25.1). nginx's documentation: https://nginx.org/en/docs/
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from onthewire.serving import HOST, Running, free_port, running

TEMP_PATHS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")


class NginxMissing(RuntimeError):
    """There is no nginx on PATH; the message names the package."""


def nginx_binary() -> str:
    """The `nginx` program, or NginxMissing naming the Debian package that installs it."""
    # Debian puts it in /usr/sbin, which is not on every user's PATH.
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin")
    if found is None:
        raise NginxMissing("nginx is not installed: sudo apt-get install -y nginx")
    return found


def configuration(server: str, *, port: int, prefix: Path, upstream: str | None = None, http: str = "",
                  listen_options: str = "", log_level: str = "notice") -> str:
    """The whole nginx.conf: `server` wrapped in a server block listening on 127.0.0.1:port."""
    temp_paths = "\n".join(f"    {name}_temp_path {prefix / (name + '_temp')};" for name in TEMP_PATHS)
    upstream_block = ""
    if upstream is not None:
        parts = urlsplit(upstream if "//" in upstream else f"//{upstream}")
        upstream_block = f"    upstream app {{\n        server {parts.hostname}:{parts.port};\n    }}\n"
    listen = f"{HOST}:{port}" + (f" {listen_options}" if listen_options else "")
    return (
        "daemon off;\n"
        "worker_processes 1;\n"
        f"pid {prefix / 'nginx.pid'};\n"
        f"error_log stderr {log_level};\n"
        "events {\n    worker_connections 256;\n}\n"
        "http {\n"
        f"    access_log {prefix / 'access.log'};\n"
        f"{temp_paths}\n"
        f"{upstream_block}"
        f"{_indent(http, 4)}"
        "    server {\n"
        f"        listen {listen};\n"
        f"{_indent(server, 8)}"
        "    }\n"
        "}\n"
    )


@contextlib.contextmanager
def serving_nginx(server: str, *, upstream: str | None = None, http: str = "",
                  listen_options: str = "", log_level: str = "notice") -> Iterator[Running]:
    """Start nginx with `server` as its one server block; yield it once it listens; stop it.

    `upstream`: a URL or host:port that `proxy_pass http://app;` reaches. `http`: extra
    directives at the http level (a `map`, say). `listen_options`: after the address, such
    as `ssl http2`. `log_level`: of the error log (nginx logs some timeouts at `info`).
    """
    binary = nginx_binary()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="onthewire-nginx-") as tmp:
        prefix = Path(tmp)
        # Started by root, nginx's worker runs as an unprivileged user, which must be able to
        # reach the temp folders it writes request and response bodies to.
        prefix.chmod(0o755)
        conf = prefix / "nginx.conf"
        conf.write_text(configuration(server, port=port, prefix=prefix, upstream=upstream, http=http,
                                      listen_options=listen_options, log_level=log_level))
        # -e stderr: nginx opens its compiled-in error log before reading the configuration.
        with running([binary, "-p", str(prefix), "-c", str(conf), "-e", "stderr"], port=port) as proxy:
            yield proxy


def _indent(text: str, spaces: int) -> str:
    text = textwrap.dedent(text).strip("\n")
    return textwrap.indent(text, " " * spaces) + "\n" if text else ""
