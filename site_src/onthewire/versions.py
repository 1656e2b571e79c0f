"""The version of what runs here, for pages that name one: `<!-- version: h11 -->`.

A page that says "h11 0.16" goes stale the day the lock moves; a page that asks this module
says what the build ran with. A name is a Python distribution from the lock, or one of the
system programs below, asked for its own version.
"""

from __future__ import annotations

import re
import subprocess
import sys
from functools import lru_cache
from importlib import metadata

from onthewire import system, tools

# Each program's own way of saying its version; the first dotted number it prints is the version.
PROGRAMS: dict[str, list[str]] = {
    "nginx": ["nginx", "-v"],  # on stderr: "nginx version: nginx/1.22.1"
    "redis-server": ["redis-server", "--version"],
    "apache2": ["apache2ctl", "-v"],
    "curl": ["curl", "--version"],
    "chromium": ["chromium", "--version"],
    "h2load": ["h2load", "--version"],
    "openssl": ["openssl", "version"],
}
_NUMBER = re.compile(r"\d+(?:\.\d+)+")


class UnknownVersion(LookupError):
    """No distribution or known program by that name, or it printed no version."""


@lru_cache(maxsize=None)
def version(name: str) -> str:
    """`name`'s version: a program in PROGRAMS, uwsgi (built by onthewire.tools), python, or a distribution."""
    if name == "python":
        return ".".join(str(n) for n in sys.version_info[:3])
    if name == "uwsgi":
        return tools.UWSGI_VERSION  # the pinned sdist every page's uWSGI is built from
    if name == "mod_wsgi":
        return tools.MOD_WSGI_VERSION
    if name in PROGRAMS:
        return _program_version(name)
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        known = ", ".join(sorted([*PROGRAMS, "python", "uwsgi", "mod_wsgi"]))
        raise UnknownVersion(f"no installed distribution {name!r}, nor a program among {known}") from None


def _program_version(name: str) -> str:
    command = PROGRAMS[name]
    path = system.which(command[0])
    if path is None:
        raise UnknownVersion(f"{command[0]} is not installed (see `wire doctor`), so its version cannot be shown")
    result = subprocess.run([path, *command[1:]], capture_output=True, text=True, timeout=30)
    match = _NUMBER.search(result.stdout + result.stderr)
    if match is None:
        raise UnknownVersion(f"`{' '.join(command)}` printed no version")
    return match.group(0)


def minor(name: str) -> str:
    """Major.minor only, for prose such as "nginx 1.22"."""
    return ".".join(version(name).split(".")[:2])
