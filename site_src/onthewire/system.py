"""System (Debian) packages the course uses: one table for `wire doctor`, `make test` and CI.

`python -m onthewire.system --for tests` exits non-zero, naming the packages and the command
that installs them, when any package the tests need is missing: tests never skip silently.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class SystemPackage:
    package: str  # the Debian package
    command: str  # a program it installs, looked up on PATH
    why: str
    needed_for: frozenset[str]  # "course" (learners now), "tests" (make test), "later" (later modules)


PACKAGES: tuple[SystemPackage, ...] = (
    SystemPackage("curl", "curl", "a real HTTP client the labs are checked with", frozenset({"course", "tests"})),
    SystemPackage("git", "git", "diffs and a clean clone for maintainers", frozenset({"tests"})),
    SystemPackage("chromium", "chromium", "the browser test of the site (headless)", frozenset({"tests"})),
    # Later modules (production servers, WebSockets at scale, HTTP/2) start these for real.
    SystemPackage("nginx", "nginx", "the proxy in front of Gunicorn and Uvicorn (later modules)", frozenset({"later"})),
    SystemPackage("redis-server", "redis-server", "the broker for scaled-out WebSockets and task queues (later modules)", frozenset({"later"})),
)


def missing(purpose: str) -> list[SystemPackage]:
    return [p for p in PACKAGES if purpose in p.needed_for and shutil.which(p.command) is None]


def install_command(packages: list[SystemPackage]) -> str:
    names = " ".join(sorted({p.package for p in packages}))
    return f"sudo apt-get install -y {names}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m onthewire.system", description=__doc__)
    parser.add_argument("--for", dest="purpose", choices=["course", "tests"], default="tests")
    parser.add_argument("--names", action="store_true", help="print the Debian package names and exit")
    args = parser.parse_args(argv)
    if args.names:
        print(" ".join(sorted({p.package for p in PACKAGES if args.purpose in p.needed_for})))
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
