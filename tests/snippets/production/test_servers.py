"""servers: each helper starts a real server that answers, and stops it; every Nginx
location the module uses is a configuration Nginx accepts."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from onthewire import paths, tools
from onthewire.nginx import configuration, nginx_binary
from onthewire.serving import HOST, free_port, port_in_use, running
from snippets.production.servers import (APP_FILE, LOCATIONS, gunicorn, gunicorn_command, mod_wsgi_command,
                                         server_block, shown, uwsgi_command)


def test_gunicorn_answers_once_started_and_is_gone_afterwards() -> None:
    with gunicorn("--workers", "1") as server:
        assert httpx.get(server.url).json()["multithread"] is False
    assert server.process.poll() is not None and not port_in_use(server.port)


@pytest.mark.system("nginx")
@pytest.mark.parametrize("location", sorted(LOCATIONS))
def test_every_location_is_a_configuration_nginx_accepts(location: str) -> None:
    with tempfile.TemporaryDirectory() as prefix:
        conf = Path(prefix, "nginx.conf")
        conf.write_text(configuration(server_block(location), port=1, prefix=Path(prefix), upstream=f"{HOST}:2"))
        checked = subprocess.run([nginx_binary(), "-t", "-p", prefix, "-c", str(conf), "-e", "stderr"],
                                 capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_commands_are_shown_without_machine_paths() -> None:
    assert shown(gunicorn_command("PORT")).startswith("python -m gunicorn --bind 127.0.0.1:PORT")
    assert shown(uwsgi_command("/x/uwsgi", "PORT")).startswith("uwsgi --http-socket 127.0.0.1:PORT --wsgi-file apps.py")
    express = mod_wsgi_command("/x/mod_wsgi-express", "PORT", "ROOT")
    assert shown(express).startswith("mod_wsgi-express start-server apps.py")
    # Apache refuses to run its children as root: root must name the user.
    assert ("--user" in express) == (os.geteuid() == 0)


def test_the_page_output(snippet_output) -> None:
    out = snippet_output("servers.py")
    assert "proxy_request_buffering on;" in out and "upstream app {" in out
    assert str(paths.ROOT) not in out and tempfile.gettempdir() not in out  # no machine paths


# uWSGI's defaults, which the module's helper overrides (uWSGI's "Things to know").

def _uwsgi(port: int, app: Path, *options: str) -> list[str]:
    return [str(tools.ensure_uwsgi()), "--http-socket", f"{HOST}:{port}", "--wsgi-file", str(app), "--master", *options]


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def _until(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)  # polling


@pytest.mark.system("build-essential")
def test_uwsgi_2_reloads_on_sigterm_unless_told_to_die_on_term() -> None:
    port = free_port()
    with running(_uwsgi(port, APP_FILE, "--need-app"), port=port) as server:
        _until(lambda: _answers(server.url))
        server.process.send_signal(signal.SIGTERM)
        _until(lambda: "gracefully (RE)spawned uWSGI master process" in server.output())
        assert _answers(server.url) and server.process.poll() is None  # reloaded, not stopped
        server.process.send_signal(signal.SIGINT)  # what stops uWSGI 2.0
        assert server.process.wait(timeout=15) == 0
    port = free_port()
    with running(_uwsgi(port, APP_FILE, "--need-app", "--die-on-term"), port=port) as server:
        _until(lambda: _answers(server.url))
        server.process.send_signal(signal.SIGTERM)
        server.process.wait(timeout=15)
    assert "goodbye to uWSGI" in server.output()


@pytest.mark.system("build-essential")
def test_uwsgi_serves_500s_for_an_app_that_does_not_load_unless_need_app(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("raise ImportError('no such module')\n")
    port = free_port()
    with running(_uwsgi(port, broken, "--die-on-term"), port=port) as server:
        assert httpx.get(server.url, timeout=5).status_code == 500
    assert "no app loaded. going in full dynamic mode" in server.output()
    strict = subprocess.run(_uwsgi(free_port(), broken, "--die-on-term", "--need-app"),
                            capture_output=True, text=True, timeout=30)
    assert strict.returncode != 0 and "unable to load app" in strict.stdout + strict.stderr
