"""A throwaway Redis for notebooks, tests and labs: started on 127.0.0.1 and a free port,
with nothing saved to disk, and stopped when the block ends.

    from onthewire.redis_server import serving_redis

    with serving_redis() as url:          # "redis://127.0.0.1:PORT"
        client = redis.asyncio.from_url(url)

redis-server runs in the foreground (no `--daemonize`) under `onthewire.serving.running`,
so it is stopped and reaped like every other server the course starts; `--save ''` and
`--appendonly no` keep it from writing snapshots or a log of writes, and its working
folder is a temporary one all the same.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator

from onthewire.serving import HOST, free_port, running


class RedisMissing(RuntimeError):
    """There is no redis-server on PATH; the message names the package."""


def redis_server_binary() -> str:
    """The `redis-server` program, or RedisMissing naming the Debian package."""
    found = shutil.which("redis-server") or shutil.which("redis-server", path="/usr/sbin:/usr/bin")
    if found is None:
        raise RedisMissing("redis-server is not installed: sudo apt-get install -y redis-server")
    return found


def command(port: int, folder: str) -> list[str]:
    """The redis-server command line: loopback only, no persistence, in the foreground."""
    return [redis_server_binary(), "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no",
            "--dir", folder, "--daemonize", "no"]


@contextlib.contextmanager
def serving_redis() -> Iterator[str]:
    """Start redis-server; yield its URL (redis://127.0.0.1:PORT) once it accepts connections."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="onthewire-redis-") as folder:
        with running(command(port, folder), port=port, cwd=folder):
            yield f"redis://{HOST}:{port}"
