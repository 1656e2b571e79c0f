"""System (Debian) packages the course uses: one table for `wire doctor`, `make test` and CI.

`python -m onthewire.system --for tests` exits non-zero, naming the packages and the command
that installs them, when any package the tests need is missing: tests never skip silently.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class SystemPackage:
    package: str  # the Debian package
    command: str  # a program it installs, looked up on PATH
    why: str
    needed_for: frozenset[str]  # "course" (learners now), "tests" (make test), "later" (later modules)


COURSE = frozenset({"course"})  # building the site, running the notebooks and labs (and so the tests)
TESTS = frozenset({"tests"})  # the tests alone

PACKAGES: tuple[SystemPackage, ...] = (
    SystemPackage("curl", "curl", "a real HTTP client the labs are checked with", COURSE),
    SystemPackage("nginx", "nginx", "the proxy in front of Gunicorn and Uvicorn, started by pages, notebooks and labs", COURSE),
    SystemPackage("redis-server", "redis-server", "the pub/sub broker for WebSockets across processes", COURSE),
    # The production pages start Apache (mod_wsgi) and uWSGI, which compile once (onthewire.tools).
    SystemPackage("apache2", "apache2ctl", "Apache, which mod_wsgi-express runs the app in (production module)", COURSE),
    SystemPackage("apache2-dev", "apxs", "Apache's build tool, which mod_wsgi is compiled with", COURSE),
    SystemPackage("build-essential", "gcc", "a C compiler: uWSGI and mod_wsgi are compiled once, when first used", COURSE),
    SystemPackage("python3-dev", "python3-config", "Debian Python's C headers, which mod_wsgi compiles against", COURSE),
    SystemPackage("openssl", "openssl", "makes the throwaway certificate Nginx serves HTTPS with (production module)", COURSE),
    SystemPackage("git", "git", "diffs and a clean clone for maintainers", TESTS),
    # Labs that check with a browser or a load tool (chat, tls-and-alpn, h2-server) need these
    # too; `wire doctor` lists them as optional, and the tests need them all.
    SystemPackage("chromium", "chromium", "headless browser: the site's browser test and the checks of the chat, TLS and HTTP/2 labs", TESTS),
    SystemPackage("nghttp2-client", "h2load", "h2load, the HTTP/2 load tool the h2-server lab is checked with", TESTS),
)

# Administration programs live in sbin, which is not on every user's PATH.
_SEARCH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/local/sbin", "/usr/sbin", "/sbin"])


def needed(purpose: str) -> list[SystemPackage]:
    """The packages a purpose needs: the tests need everything the course needs, and more."""
    return [p for p in PACKAGES if purpose in p.needed_for or (purpose == "tests" and "course" in p.needed_for)]


def which(command: str) -> str | None:
    """Where a program is, looking in sbin too."""
    return shutil.which(command, path=_SEARCH)


def installed(package: SystemPackage) -> bool:
    return which(package.command) is not None


def missing(purpose: str) -> list[SystemPackage]:
    return [p for p in needed(purpose) if not installed(p)]


def install_command(packages: list[SystemPackage]) -> str:
    names = " ".join(sorted({p.package for p in packages}))
    return f"sudo apt-get install -y {names}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m onthewire.system", description=__doc__)
    parser.add_argument("--for", dest="purpose", choices=["course", "tests"], default="tests")
    parser.add_argument("--names", action="store_true", help="print the Debian package names and exit")
    args = parser.parse_args(argv)
    if args.names:
        print(" ".join(sorted({p.package for p in needed(args.purpose)})))
        return 0
    absent = missing(args.purpose)
    if not absent:
        return 0
    print(f"Missing system packages needed for the {args.purpose}:", file=sys.stderr)
    for p in absent:
        print(f"  - {p.package} (no '{p.command}' on PATH): {p.why}", file=sys.stderr)
    print(f"Install them with:\n  {install_command(absent)}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
