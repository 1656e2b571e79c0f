"""How this module starts each production server: Gunicorn, Nginx, uWSGI and mod_wsgi-express.

Every server runs the app in apps.py, listens on 127.0.0.1 and a free port, and is stopped
when its `with` block ends (the course's `running()` helper starts the process, polls until
the port accepts connections, and stops it by its PID). Each helper also waits until the
server can really answer: Gunicorn listens before its workers have booted, and Apache before
mod_wsgi's daemon processes have loaded the app.

Run it:  python servers.py   (prints the command line of each server)
Try:     start one by hand with the printed command, PORT replaced by a number, and curl it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from onthewire import tools
from onthewire.nginx import configuration, serving_nginx
from onthewire.serving import HOST, Running, free_port, python, running

APP = "snippets.production.apps:application"  # for Gunicorn, which imports it
APP_FILE = Path(__file__).with_name("apps.py")  # for uWSGI and mod_wsgi, which load a file
READY_SECONDS = 20.0


def _until_it_answers(url: str, server: Running) -> None:
    """Poll GET url until the server answers (its port may accept before the app is loaded)."""
    deadline = time.monotonic() + READY_SECONDS
    while True:
        try:
            httpx.get(url, timeout=READY_SECONDS).raise_for_status()
            return
        except (httpx.TransportError, httpx.HTTPStatusError):
            if server.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer; its output:\n{server.output()}") from None
            time.sleep(0.05)  # a poll interval, not a readiness guess


# --- Gunicorn -------------------------------------------------------------------------------

# --8<-- [start:gunicorn]
def gunicorn_command(port: int | str, *options: str, app: str = APP) -> list[str]:
    return [python(), "-m", "gunicorn",
            "--bind", f"{HOST}:{port}",
            # Gunicorn 25+ opens a control socket in ~/.gunicorn by default; several servers
            # run at once here, so each goes without one.
            "--no-control-socket",
            *options, app]


@contextlib.contextmanager
def gunicorn(*options: str, app: str = APP, env: dict[str, str] | None = None) -> Iterator[Running]:
    port = free_port()
    with running(gunicorn_command(port, *options, app=app), port=port, env=env) as server:
        _until_it_answers(server.url, server)  # a worker has booted
        yield server
# --8<-- [end:gunicorn]


# --- Nginx ----------------------------------------------------------------------------------

# The `location` blocks this module puts Nginx in front with. The course's serving_nginx()
# writes the rest of nginx.conf (python servers.py prints all of it): `upstream app` is the
# server behind, and every file Nginx writes stays in a temporary prefix folder.
# --8<-- [start:locations]
LOCATIONS = {
    # Both buffering directives are on by default; they are spelled out to be seen.
    "buffered": """
        proxy_pass http://app;
        proxy_request_buffering on;  # read the whole request body, then pass it on
        proxy_buffering on;          # read the whole response, then pass it on
    """,
    "unbuffered": """
        proxy_pass http://app;
        proxy_request_buffering off;  # pass the body on as it arrives
        proxy_buffering off;          # pass the response on as it arrives
    """,
    "bare": """
        proxy_pass http://app;        # and nothing else
    """,
    "headers": """
        proxy_pass http://app;
        proxy_set_header Host $host;  # the Host the client asked for, not "app"
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Forwarded "for=$remote_addr;proto=$scheme;host=$host";  # RFC 7239
    """,
    "uwsgi": """
        uwsgi_pass app;  # the uwsgi protocol: the request as variables, then the body
        uwsgi_param REQUEST_METHOD $request_method;
        uwsgi_param REQUEST_URI $request_uri;
        uwsgi_param PATH_INFO $document_uri;
        uwsgi_param QUERY_STRING $query_string;
        uwsgi_param CONTENT_TYPE $content_type;
        uwsgi_param CONTENT_LENGTH $content_length;
        uwsgi_param SERVER_PROTOCOL $server_protocol;
        uwsgi_param SERVER_NAME $server_name;
        uwsgi_param SERVER_PORT $server_port;
        uwsgi_param REMOTE_ADDR $remote_addr;
        uwsgi_param HTTP_HOST $host;
    """,
}
# --8<-- [end:locations]


@dataclass
class Nginx:
    """A running Nginx: its process and log (`server`), its URL, and the certificate to trust."""

    server: Running
    url: str
    cafile: str | None


def server_block(location: str, certificate: Path | None = None) -> str:
    """The body of Nginx's server block: one `location /`, and the certificate for TLS."""
    body = "location / {" + textwrap.indent(textwrap.dedent(LOCATIONS[location]), "    ") + "}\n"
    if certificate is not None:
        body = f"ssl_certificate {certificate}/cert.pem;\nssl_certificate_key {certificate}/key.pem;\n" + body
    return body


def _self_signed(folder: Path) -> None:
    """A certificate for 127.0.0.1, valid one day, made by the openssl command."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True)


@contextlib.contextmanager
def nginx(upstream_port: int, location: str = "buffered", tls: bool = False) -> Iterator[Nginx]:
    """Nginx in front of 127.0.0.1:upstream_port, with LOCATIONS[location]; HTTPS if `tls`."""
    with contextlib.ExitStack() as stack:
        certificate = None
        if tls:
            certificate = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="onthewire-tls-")))
            _self_signed(certificate)
        proxy = stack.enter_context(serving_nginx(
            server_block(location, certificate), upstream=f"{HOST}:{upstream_port}",
            listen_options="ssl" if tls else ""))
        scheme = "https" if tls else "http"
        yield Nginx(proxy, f"{scheme}://{HOST}:{proxy.port}", str(certificate / "cert.pem") if tls else None)


# --- uWSGI ----------------------------------------------------------------------------------

# --8<-- [start:uwsgi]
def uwsgi_command(program: str, port: int | str, *options: str, socket: str = "--http-socket") -> list[str]:
    return [program,
            socket, f"{HOST}:{port}",   # --http-socket: HTTP; --socket: the uwsgi protocol
            "--wsgi-file", str(APP_FILE),
            "--need-app",               # exit if the app does not load (the default serves 500s)
            "--die-on-term",            # SIGTERM stops uWSGI 2.0 (the default reloads it)
            "--master", *options]


@contextlib.contextmanager
def uwsgi(*options: str, socket: str = "--http-socket") -> Iterator[Running]:
    port = free_port()
    program = str(tools.ensure_uwsgi())  # built once into the course's cache (a C compile)
    with running(uwsgi_command(program, port, *options, socket=socket), port=port) as server:
        if socket in ("--http-socket", "--http"):
            _until_it_answers(server.url, server)
        yield server
# --8<-- [end:uwsgi]


# --- mod_wsgi-express -----------------------------------------------------------------------

# --8<-- [start:mod_wsgi]
def mod_wsgi_command(program: str, port: int | str, server_root: str, *options: str) -> list[str]:
    return [program, "start-server", f"{server_root}/apps.py",
            "--host", HOST, "--port", str(port),
            "--server-root", server_root,  # its httpd.conf, apachectl, logs and sockets
            *tools.apache_user(),          # as root: --user www-data --group www-data
            "--locale", "C.UTF-8",
            "--log-to-terminal",           # Apache's error log on stderr
            *options]


@contextlib.contextmanager
def mod_wsgi_express(*options: str) -> Iterator[Running]:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="onthewire-mod_wsgi-") as root:
        # Apache's children run as another user: they need to enter the folder and read the
        # app, wherever the course itself is. A folder of our own, 0755, in the temp dir.
        os.chmod(root, 0o755)
        shutil.copy(APP_FILE, Path(root, "apps.py"))
        program = str(tools.ensure_mod_wsgi_express())  # built once, in a venv of Debian's Python
        with running(mod_wsgi_command(program, port, root, *options), port=port,
                     env={"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}, ready_timeout=READY_SECONDS) as server:
            _until_it_answers(server.url, server)  # a daemon process has loaded the app
            yield server
# --8<-- [end:mod_wsgi]


def shown(command: list[str]) -> str:
    """A command line as a learner would type it: no machine paths."""
    words = []
    for word in command:
        if word == python():
            word = "python"
        elif "/" in word:
            word = Path(word).name
        words.append(word)
    return " ".join(words)


if __name__ == "__main__":
    print(shown(gunicorn_command("PORT", "--workers", "2")))
    print("# nginx.conf, with the buffered location")
    conf = configuration(server_block("buffered"), port="PORT", prefix=Path("FOLDER"), upstream=f"{HOST}:1")
    print(conf.replace(f"{HOST}:1;", f"{HOST}:GUNICORN_PORT;"))
    print(shown(uwsgi_command("uwsgi", "PORT", "--processes", "2")))
    print(shown(mod_wsgi_command("mod_wsgi-express", "PORT", "ROOT", "--processes", "2")))
