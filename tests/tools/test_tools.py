"""onthewire.tools: uWSGI and mod_wsgi are built once into the cache and reused; a missing
build tool is named, with the package that installs it; pins are checked by hash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from onthewire import paths, tools


def _reused(ensure, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Call `ensure` twice: the second call must find the first one's build and return at once,
    which here means without a single build step (a lock, a clean-up, a pip run) rather than
    within some time: a busy machine stretches any time."""
    program = ensure()  # builds here only on a fresh machine (once: later calls find it)
    built = program.stat().st_mtime_ns
    steps: list[str] = []
    for step in ("_locked", "_fresh", "_pip", "_require_compiler"):
        monkeypatch.setattr(tools, step, lambda *args, step=step, **kwargs: steps.append(step))
    assert ensure() == program
    assert steps == [], f"the second call started building: {steps}"
    assert program.stat().st_mtime_ns == built, "the second call rebuilt it"
    assert (program.parents[1] / tools.DONE).exists()
    return program


@pytest.mark.system("build-essential")
def test_uwsgi_is_built_once_into_the_cache_and_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    program = _reused(tools.ensure_uwsgi, monkeypatch)
    assert program.parents[1] == tools.uwsgi_home()
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.strip() == tools.UWSGI_VERSION


@pytest.mark.system("apache2-dev")
def test_mod_wsgi_express_is_built_once_and_reused(monkeypatch: pytest.MonkeyPatch) -> None:
    program = _reused(tools.ensure_mod_wsgi_express, monkeypatch)
    config = subprocess.run([str(program), "module-config"], capture_output=True, text=True, check=True)
    assert f'WSGIPythonHome "{tools.mod_wsgi_home()}"' in config.stdout
    # Made from Debian's Python, not from whatever runs the course.
    assert (tools.mod_wsgi_home() / "pyvenv.cfg").read_text().count("/usr/bin") >= 1


@pytest.mark.system("apache2-dev")
@pytest.mark.skipif(os.geteuid() != 0, reason="only root's Apache hands its children to www-data")
def test_www_data_can_use_the_mod_wsgi_venv() -> None:
    home = tools.ensure_mod_wsgi_express().parents[1]
    assert tools._others_can_enter(home)
    result = subprocess.run([str(home / "bin" / "python"), "-c", "import mod_wsgi, sys; print(sys.prefix)"],
                            user="www-data", group="www-data", capture_output=True, text=True, cwd="/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(home)


def test_the_cache_follows_onthewire_cache(tmp_path: Path) -> None:
    code = "from onthewire import tools; print(tools.uwsgi_home())"
    env = {**os.environ, "ONTHEWIRE_CACHE": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert Path(out.stdout.strip()).parent == tmp_path
    assert tools.uwsgi_home().parent == paths.CACHE


@pytest.mark.skipif(os.geteuid() != 0, reason="only root's cache must be readable by www-data")
def test_root_puts_mod_wsgi_where_www_data_can_read_it(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    assert tools.mod_wsgi_home(private / "cache").parent == tools.SHARED_CACHE
    open_ = tmp_path / "open"
    open_.mkdir(mode=0o755)
    if tools._others_can_enter(tmp_path):  # pytest's own temporary folders may be private
        assert tools.mod_wsgi_home(open_).parent == open_


def test_a_missing_compiler_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("CC", raising=False)
    with pytest.raises(tools.ToolError, match=r"no C compiler \(gcc\) on PATH: sudo apt-get install -y build-essential"):
        tools.ensure_uwsgi(tmp_path / "cache")
    assert not tools.uwsgi_home(tmp_path / "cache").exists()


def test_a_missing_apxs_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tools, "SHARED_CACHE", tmp_path / "shared")
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(tools.ToolError, match="apxs, which is not on PATH: sudo apt-get install -y apache2 apache2-dev"):
        tools.ensure_mod_wsgi_express(tmp_path / "cache")


def test_a_download_that_does_not_match_its_hash_is_refused(tmp_path: Path) -> None:
    with pytest.raises(tools.ToolError, match="(?s)building uwsgi .* failed.*HASH"):
        tools._pip(sys.executable, ["--target", str(tmp_path), "--no-cache-dir"], "uwsgi", tools.UWSGI_VERSION,
                   "0" * 64, hint="")
    assert not list(tmp_path.iterdir())
