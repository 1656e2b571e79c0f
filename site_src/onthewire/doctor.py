"""`wire doctor`: is this machine ready for the course? One line per check, with the fix."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from onthewire import course, paths, system
from onthewire.serving import port_in_use

SITE_PORT = 8000
PYTHON_MODULES = ("mkdocs", "material", "nbclient", "jupyterlab", "starlette", "uvicorn", "httpx", "h11", "flask", "django")


@dataclass(frozen=True)
class Result:
    ok: bool
    what: str
    fix: str = ""
    required: bool = True


def _python() -> Iterator[Result]:
    v = sys.version_info
    yield Result(v >= (3, 11), f"Python {v.major}.{v.minor} (3.11 or newer)", "install Python 3.11 or newer, then run `make serve` again")


def _venv() -> Iterator[Result]:
    inside = Path(sys.prefix).resolve() == (paths.ROOT / ".venv").resolve()
    yield Result(inside, "running from the course's virtual environment (.venv)", "run `make serve` or `make test` once, then use .venv/bin/wire (or `source .venv/bin/activate`)")
    absent = [m for m in PYTHON_MODULES if importlib.util.find_spec(m) is None]
    yield Result(not absent, "Python packages installed" + (f" (missing: {', '.join(absent)})" if absent else ""), "run `make install`")


def _ports() -> Iterator[Result]:
    wanted = {SITE_PORT: "the site (make serve)"}
    for lab in course.labs():
        wanted.setdefault(lab.default_port, f"lab {lab.id}")
    for port, user in sorted(wanted.items()):
        yield Result(not port_in_use(port), f"port {port} free on 127.0.0.1, for {user}",
                     f"stop what listens there (`ss -ltnp 'sport = :{port}'` shows it), or pass --port to wire start", required=False)


def _system() -> Iterator[Result]:
    for p in system.PACKAGES:
        yield Result(system.installed(p), f"{p.command}: {p.why}", system.install_command([p]), required="course" in p.needed_for)


CHECKS: tuple[Callable[[], Iterator[Result]], ...] = (_python, _venv, _ports, _system)


def results() -> list[Result]:
    return [r for check in CHECKS for r in check()]


def run() -> int:
    found = results()
    for r in found:
        mark = "✓" if r.ok else ("✗" if r.required else "!")
        print(f"{mark} {r.what}")
        if not r.ok:
            print(f"    fix: {r.fix}")
    failed = [r for r in found if not r.ok and r.required]
    warned = [r for r in found if not r.ok and not r.required]
    if failed:
        print(f"\n{len(failed)} problem(s) to fix before the course (✗); {len(warned)} warning(s) (!).")
        return 1
    print("\nReady for the course." + (f" {len(warned)} warning(s) (!) above." if warned else ""))
    return 0
