"""mod_wsgi: Apache runs the app, through mod_wsgi-express.

mod_wsgi is an Apache module. In daemon mode (what mod_wsgi-express sets up) Apache's own
processes accept connections and speak HTTP, and hand each request over a UNIX socket to a
group of mod_wsgi daemon processes that run the Python app in threads. mod_wsgi-express
writes a complete Apache configuration for one app and starts Apache with it in the
foreground. Started by root, Apache's children switch to the user www-data.

Run it:  python mod_wsgi_express.py
Try:     --embedded-mode (no daemon processes: Apache's own children run Python);
         --request-timeout 2 with GET /slow?s=5, mod_wsgi's answer to uWSGI's harakiri.
"""

from __future__ import annotations

import pwd
from pathlib import Path

import httpx

from snippets.production.process_tree import children_of
from snippets.production.servers import mod_wsgi_express

# --8<-- [start:options]
OPTIONS = ["--processes", "2", "--threads", "3", "--process-group", "shop"]
# --8<-- [end:options]


def process_line(pid: int) -> str:
    """Name and user of a process, from /proc (what ps shows)."""
    name = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode().strip()
    uid = int(next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                   if line.startswith("Uid:")).split()[1])
    return f"{name.split(' -f')[0]}  (user {pwd.getpwuid(uid).pw_name})"


# --8<-- [start:serve]
def serve() -> dict:
    with mod_wsgi_express(*OPTIONS) as server:
        who = httpx.get(server.url, timeout=10).json()
        added = httpx.get(f"{server.url}/environ?prefix=mod_wsgi.", timeout=10).json()
        apache = server.process.pid  # mod_wsgi-express became Apache (exec)
        pids = [apache, *children_of(apache)]
        processes = [process_line(pid) for pid in pids[:1]] + sorted(map(process_line, pids[1:]))
        banner = [line for line in server.output().splitlines() if " : " in line]
    # running() stopped Apache with SIGTERM; Apache stops its children before it exits.
    left = [pid for pid in pids if Path(f"/proc/{pid}").exists()]
    return {"who": who, "added": added, "processes": processes, "banner": banner, "left": left}
# --8<-- [end:serve]


if __name__ == "__main__":
    got = serve()
    print("mod_wsgi-express says:")
    for line in got["banner"]:
        if line.split(" : ")[0].strip() in ("Operating Mode", "Request Capacity", "Request Timeout"):
            print(f"  {line}")
    print("the processes (from /proc):")
    for line in got["processes"]:
        print(f"  {line}")
    who = got["who"]
    print(f"the app runs as {who['user']}; wsgi.multithread={who['multithread']}, "
          f"wsgi.multiprocess={who['multiprocess']}")
    print("some of the environ keys mod_wsgi adds:")
    for key in ("mod_wsgi.process_group", "mod_wsgi.application_group", "mod_wsgi.version"):
        print(f"  {key} = {got['added'][key]!r}")
    print(f"after the server stopped: {len(got['left'])} processes left")
