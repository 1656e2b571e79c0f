"""What the WebSocket labs' READMEs say about the software that runs here.

A README is read as a plain file too, outside the site, so it cannot ask the build for a
version (`<!-- version: ... -->`). It names the version in words instead, and these tests
fail when the installed one, or the behaviour the README describes, stops matching.
"""

from __future__ import annotations

import inspect
import platform
import re
import tomllib

import pytest
import uvicorn
from uvicorn.supervisors import multiprocess

from onthewire import paths, versions

LABS = paths.ROOT / "labs"


def _readme(lab: str) -> str:
    return (LABS / lab / "README.md").read_text()


def test_chat_scale_out_names_the_installed_uvicorn_and_its_supervisor() -> None:
    text = _readme("chat-scale-out")
    named = re.findall(r"uvicorn (\d+\.\d+)'s supervisor looks at its workers twice a second", text)
    assert named == [versions.minor("uvicorn")]
    run = inspect.getsource(multiprocess.Multiprocess.run)
    assert "self.should_exit.wait(0.5)" in run  # "twice a second"
    assert 'f"Child process [{process.pid}] died"' in inspect.getsource(multiprocess.Multiprocess.keep_subprocess_alive)
    assert "`Child process [PID] died`" in text


@pytest.mark.system("nginx")
def test_nginx_front_names_the_installed_nginx() -> None:
    text = _readme("nginx-front")
    debian = platform.freedesktop_os_release()["VERSION_ID"]
    assert f"In nginx {versions.minor('nginx')}, the version Debian {debian}\n   ships" in text
    # Every "nginx X.Y" is the installed one, but for the release that changed the syntax.
    named = set(re.findall(r"nginx (\d+\.\d+)(?:\.\d+)?", text)) - {"1.25"}
    assert named == {versions.minor("nginx")}
    assert "nginx 1.25.1 moved HTTP/2 to its own `http2 on;` directive" in text


def test_nginx_front_names_uvicorns_forwarded_allow_ips_default(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _readme("nginx-front")
    said = r"`--forwarded-allow-ips`, which defaults to `127\.0\.0\.1,::1`, or\s+to `\$FORWARDED_ALLOW_IPS` when that is set"
    assert re.search(said, text)
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert uvicorn.Config("app:app").forwarded_allow_ips == "127.0.0.1,::1"
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.2")
    assert uvicorn.Config("app:app").forwarded_allow_ips == "127.0.0.2"


def test_chat_names_lab_toml_options_and_uvicorns_defaults() -> None:
    text = _readme("chat")
    command = " ".join(tomllib.loads((LABS / "chat" / "lab.toml").read_text())["run"])
    for option in ("--ws-max-size 65536", "--ws-ping-interval 20", "--ws-ping-timeout 20"):
        assert option in command
    assert "uvicorn runs with `--ws-max-size 65536` (lab.toml's `run`): a frame or message over 64 KiB" in text
    config = uvicorn.Config("app:app")
    assert "uvicorn's default is 16 MiB" in text and config.ws_max_size == 16 * 1024 * 1024
    assert "(`--ws-ping-interval 20` in lab.toml's `run`, also its default)" in text and config.ws_ping_interval == 20


def test_websocket_frames_names_the_starters_default_limit() -> None:
    text = _readme("websocket-frames")
    assert "(`MAX_SIZE`,\n   1 MiB, by default)" in text
    for folder in ("starter", "solution"):
        source = (LABS / "websocket-frames" / folder / "frames.py").read_text()
        assert re.search(r"^MAX_SIZE = 1024 \* 1024\b", source, re.MULTILINE), folder
