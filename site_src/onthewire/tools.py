"""Servers that pip cannot hand over ready-made: uWSGI and mod_wsgi compile C code.

`ensure_uwsgi()` and `ensure_mod_wsgi_express()` build each one once, from a pinned sdist
whose sha256 pip checks, into the course's cache (`onthewire.paths.CACHE`, `.cache/` in the
repository; the ONTHEWIRE_CACHE variable moves it). Every later call finds the build there
and returns at once. A build in progress holds a lock, so two processes asking at the same
time build once.

Two traps shape where mod_wsgi goes:

- Run as root, Apache switches its children to an unprivileged user (www-data on Debian),
  and mod_wsgi's daemon processes start Python as that user. A Python that user cannot read
  (pyenv's, in root's home) dies at start-up: "failed to get the Python codec of the
  filesystem encoding". So mod_wsgi lives in a venv made from Debian's /usr/bin/python3.
- That venv must be readable by www-data too, and so must every directory above it. When
  root's cache is not (a repository under /root, mode 0700), the venv goes to
  /var/cache/onthewire instead: a root-owned folder that only root can write to, rather than
  opening up root's home directory or using a world-writable one.

Run it:  python -m onthewire.tools   (builds both if needed, prints where they are)
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

from onthewire import paths

UWSGI_VERSION = "2.0.31"
UWSGI_SHA256 = "e8f8b350ccc106ff93a65247b9136f529c14bf96b936ac5b264c6ff9d0c76257"
MOD_WSGI_VERSION = "6.1.1"
MOD_WSGI_SHA256 = "a42d11ba45d2050ab456a474d034e938605ca76386233ef404daa8b0388ca60e"

SYSTEM_PYTHON = Path("/usr/bin/python3")  # Debian's: readable by every user, unlike pyenv's
SHARED_CACHE = Path("/var/cache/onthewire")  # root's fallback, see the module's docstring
DONE = ".complete"  # written last: a folder without it is an interrupted build


class ToolError(RuntimeError):
    """A tool could not be built; the message says which system package to install."""


# --- uWSGI ----------------------------------------------------------------------------------

def uwsgi_home(cache: Path | None = None) -> Path:
    """Where uWSGI is (or will be) installed: it embeds this Python, so the folder names it."""
    return (cache or paths.CACHE) / f"uwsgi-{UWSGI_VERSION}-{_python_tag()}"


def ensure_uwsgi(cache: Path | None = None) -> Path:
    """The `uwsgi` program, built with pip into the cache the first time (about 30-40 s)."""
    home = uwsgi_home(cache)
    binary = home / "bin" / "uwsgi"
    if _complete(home, binary):
        return binary
    with _locked(home):
        if _complete(home, binary):  # built by another process while this one waited
            return binary
        _require_compiler("uWSGI")
        headers = Path(sysconfig.get_paths()["include"]) / "Python.h"
        if not headers.exists():
            raise ToolError(f"uWSGI compiles against Python's C headers, and {headers} is missing: "
                            f"install the Python development files (Debian: {_install('python3-dev')})")
        _announce(f"Building uWSGI {UWSGI_VERSION} (C, about 40 s, once) into {_shown(home)}")
        _fresh(home)
        # --no-cache-dir: a wheel cached from another build links another libpython.
        _pip(sys.executable, ["--target", str(home), "--no-cache-dir"], "uwsgi", UWSGI_VERSION, UWSGI_SHA256,
             hint=_install("build-essential", "python3-dev"))
        if not binary.exists():
            raise ToolError(f"pip installed uWSGI {UWSGI_VERSION} but there is no {binary}")
        (home / DONE).write_text(UWSGI_VERSION + "\n")
    return binary


# --- mod_wsgi -------------------------------------------------------------------------------

def mod_wsgi_home(cache: Path | None = None) -> Path:
    """The venv that holds mod_wsgi: in the cache, or in SHARED_CACHE when root's cache is
    one that the user Apache runs as could not read."""
    name = f"mod_wsgi-{MOD_WSGI_VERSION}"
    home = (cache or paths.CACHE) / name
    if os.geteuid() == 0 and not _others_can_enter(home.parent):
        return SHARED_CACHE / name
    return home


def ensure_mod_wsgi_express(cache: Path | None = None) -> Path:
    """The `mod_wsgi-express` program, in a venv of Debian's Python (about 20 s the first time)."""
    home = mod_wsgi_home(cache)
    express = home / "bin" / "mod_wsgi-express"
    if _complete(home, express):
        return express
    with _locked(home):
        if _complete(home, express):
            return express
        if shutil.which("apxs") is None:
            raise ToolError(f"mod_wsgi is built with Apache's apxs, which is not on PATH: {_install('apache2', 'apache2-dev')}")
        if shutil.which("apache2") is None and shutil.which("httpd") is None and not Path("/usr/sbin/apache2").exists():
            raise ToolError(f"mod_wsgi-express runs Apache, which is not installed: {_install('apache2')}")
        if not SYSTEM_PYTHON.exists():
            raise ToolError(f"mod_wsgi is built for Debian's Python, and {SYSTEM_PYTHON} is missing: {_install('python3')}")
        _require_compiler("mod_wsgi")
        include = subprocess.run([str(SYSTEM_PYTHON), "-c", "import sysconfig; print(sysconfig.get_paths()['include'])"],
                                 capture_output=True, text=True).stdout.strip()
        if not Path(include, "Python.h").exists():
            raise ToolError(f"mod_wsgi compiles against the C headers of {SYSTEM_PYTHON}, which are missing: "
                            f"{_install('python3-dev')}")
        _announce(f"Building mod_wsgi {MOD_WSGI_VERSION} (C, about 20 s, once) into {_shown(home)}")
        _fresh(home)
        made = subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", str(home)], capture_output=True, text=True)
        if made.returncode != 0:
            raise ToolError(f"{SYSTEM_PYTHON} could not make a venv ({_last_line(made)}): {_install('python3-venv')}")
        _pip(str(home / "bin" / "python"), ["--no-cache-dir"], "mod_wsgi", MOD_WSGI_VERSION, MOD_WSGI_SHA256,
             hint=_install("apache2-dev", "python3-dev", "build-essential"))
        if os.geteuid() == 0:
            _let_others_read(home)
            if not _others_can_enter(home):  # a folder above it was made private (umask 077?)
                raise ToolError(f"{home} is built, but www-data cannot reach it: give every folder "
                                f"above it o+x, or point ONTHEWIRE_CACHE somewhere it can")
        (home / DONE).write_text(MOD_WSGI_VERSION + "\n")
    return express


def apache_user() -> list[str]:
    """mod_wsgi-express options for the user its processes run as: www-data when started by
    root (Apache refuses to serve as root), and nothing otherwise (it stays who started it)."""
    return ["--user", "www-data", "--group", "www-data"] if os.geteuid() == 0 else []


# --- shared ---------------------------------------------------------------------------------

def _python_tag() -> str:
    return f"cp{sys.version_info.major}{sys.version_info.minor}"


def _complete(home: Path, program: Path) -> bool:
    return (home / DONE).exists() and program.exists()


@contextlib.contextmanager
def _locked(home: Path) -> Iterator[None]:
    """Hold an exclusive lock next to `home` while building it (released if the build dies)."""
    home.parent.mkdir(parents=True, exist_ok=True)
    with open(home.parent / f".{home.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _fresh(home: Path) -> None:
    """Remove what an interrupted build left behind."""
    if home.exists():
        shutil.rmtree(home)
    if home.parent == SHARED_CACHE:
        home.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        home.parent.chmod(0o755)


def _require_compiler(tool: str) -> None:
    compiler = (os.environ.get("CC") or "gcc").split()[0]
    if shutil.which(compiler) is None:
        raise ToolError(f"{tool} compiles C code, and there is no C compiler ({compiler}) on PATH: "
                        f"{_install('build-essential', 'python3-dev')}")


def _pip(python: str, options: list[str], name: str, version: str, sha256: str, hint: str) -> None:
    """pip-install exactly name==version, refusing any file whose sha256 is not `sha256`."""
    with tempfile.TemporaryDirectory() as tmp:
        pins = Path(tmp) / "requirements.txt"
        pins.write_text(f"{name}=={version} --hash=sha256:{sha256}\n")
        result = subprocess.run(
            [python, "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--no-deps",
             "--require-hashes", "-r", str(pins), *options],
            capture_output=True, text=True, env={**os.environ, "LANG": "C.UTF-8"},
        )
    if result.returncode != 0:
        errors = [line for line in (result.stdout + result.stderr).splitlines() if "error" in line.lower()]
        shown = "\n  ".join(errors[-5:] or [_last_line(result)])
        raise ToolError(f"building {name} {version} failed; the last errors:\n  {shown}\n"
                        f"Missing build tools are the usual cause: {hint}")


def _others_can_enter(folder: Path) -> bool:
    """True when every existing folder from / down to `folder` lets other users through (o+x)."""
    for part in [folder, *folder.parents]:
        if part.exists() and not part.stat().st_mode & stat.S_IXOTH:
            return False
    return True


def _let_others_read(home: Path) -> None:
    """o+r on files and o+rx on folders, whatever the umask was when pip wrote them."""
    for root, dirs, files in os.walk(home):
        for name in dirs:
            path = Path(root, name)
            path.chmod(path.stat().st_mode | 0o005)
        for name in files:
            path = Path(root, name)
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o004 | (0o001 if path.stat().st_mode & 0o100 else 0))
    home.chmod(home.stat().st_mode | 0o005)


def _install(*packages: str) -> str:
    return f"sudo apt-get install -y {' '.join(packages)}"


_LOUD = False  # `python -m onthewire.tools` (make) always says what it builds


def _announce(message: str) -> None:
    """One line on the terminal while a build runs. Only on a terminal: when a program's output
    is captured (the site build runs snippets and shows what they print), it stays their own."""
    if sys.stderr.isatty() or _LOUD:
        print(message, file=sys.stderr, flush=True)


def _shown(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.relative_to(paths.ROOT))
    return str(path)


def _last_line(result: subprocess.CompletedProcess) -> str:
    lines = (result.stderr or result.stdout or "").strip().splitlines()
    return lines[-1] if lines else f"exit code {result.returncode}"


if __name__ == "__main__":
    _LOUD = True
    try:
        print(_shown(ensure_uwsgi()))
        print(_shown(ensure_mod_wsgi_express()))
    except ToolError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
