"""Requests per second of WSGI and ASGI servers, measured in one run with wrk, as ratios to
gunicorn's sync worker.

Run: .venv/bin/python benchmarks/servers.py [--duration S]   (needs wrk: apt-get install wrk)

Each server serves benchmarks/server_apps.py on 127.0.0.1 with two processes where it has a
process model (one per core here), and wrk loads it from the same machine: hello world with 10
connections, then a 50 ms "upstream" wait with 50 connections. The numbers order the servers on
this machine at this moment; they are not a verdict on any of them. Results go to
benchmarks/results/servers.json, which the ASGI servers page renders (machine and versions
included), and to the terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path

from onthewire import course, tools
from onthewire.labs import workspace
from onthewire.serving import free_port, running

HERE = Path(__file__).resolve().parent

PY = sys.executable
RESULTS = HERE / "results" / "servers.json"
DURATION = 4.0  # seconds of load per measurement (--duration)
LOADS = {"hello": ("/", 10), "slow": ("/slow", 50)}


def _servers(port: int) -> dict[str, tuple[list[str], str]]:
    """name -> (command, version) for each server, serving server_apps on `port`."""
    bind = f"127.0.0.1:{port}"
    lab = course.lab("asgi-server")
    return {
        "gunicorn sync": ([PY, "-m", "gunicorn", "-w", "2", "-b", bind, "server_apps:wsgi"], version("gunicorn")),
        "gunicorn gthread": ([PY, "-m", "gunicorn", "-w", "2", "--threads", "8", "-b", bind, "server_apps:wsgi"], version("gunicorn")),
        "uWSGI": ([str(tools.ensure_uwsgi()), "--http11-socket", bind, "--module", "server_apps:wsgi", "--master",
                   "--processes", "2", "--disable-logging", "--die-on-term"], tools.UWSGI_VERSION),
        "uvicorn": ([PY, "-m", "uvicorn", "server_apps:asgi", "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
                     "--log-level", "warning", "--no-access-log"], version("uvicorn")),
        "gunicorn + UvicornWorker": ([PY, "-m", "gunicorn", "-w", "2", "-k", "uvicorn_worker.UvicornWorker", "-b", bind,
                                      "server_apps:asgi"], version("uvicorn-worker")),
        "gunicorn -k asgi": ([PY, "-m", "gunicorn", "-w", "2", "-k", "asgi", "-b", bind, "server_apps:asgi"], version("gunicorn")),
        "hypercorn": ([PY, "-m", "hypercorn", "-w", "2", "-b", bind, "server_apps:asgi"], version("hypercorn")),
        "daphne": ([PY, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "server_apps:asgi"], version("daphne")),
        "granian": ([PY, "-m", "granian", "--interface", "asgi", "--workers", "2", "--host", "127.0.0.1", "--port", str(port),
                     "--no-ws", "server_apps:asgi"], version("granian")),
        "asgi-server lab (solution)": ([PY, str(lab.solution / "server.py"), "--host", "127.0.0.1", "--port", str(port),
                                        "server_apps:asgi"], "course"),
    }


def _wrk(url: str, connections: int, duration: float) -> float:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: .*", out)
    if match is None:
        raise RuntimeError(f"wrk printed no rate:\n{out}")
    if errors:
        print(f"    wrk reported errors: {errors.group(0)}")
    return float(match.group(1))


def measure(duration: float) -> dict:
    names = list(_servers(0))
    rows = []
    for name in names:
        port = free_port()
        command, ver = _servers(port)[name]
        print(f"{name} {ver} ...", flush=True)
        # The asgi-server lab's solution imports its given plumbing (labs/asgi-server/given/).
        path = os.pathsep.join([str(HERE), str(workspace.given(course.lab("asgi-server")))])
        with running(command, port=port, cwd=HERE, env={"PYTHONPATH": path}, ready_timeout=30):
            _wrk(f"http://127.0.0.1:{port}/", 10, 1)  # warm up (import caches, worker start)
            rates = {load: _wrk(f"http://127.0.0.1:{port}{path}", conns, duration) for load, (path, conns) in LOADS.items()}
        rows.append({"server": name, "version": ver, **rates})
    base = rows[0]
    for row in rows:
        for load in LOADS:
            row[f"{load}_ratio"] = round(row[load] / base[load], 2)
    return {
        "measured": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.system()} {platform.machine()}, {len(os.sched_getaffinity(0))} cores, "
                   f"Python {platform.python_version()}",
        "method": f"wrk -t1, {duration:g} s per load; hello: 10 connections to /; slow: 50 connections to /slow (50 ms wait)",
        "baseline": base["server"],
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=DURATION, help="seconds of load per measurement")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: sudo apt-get install -y wrk")
    data = measure(args.duration)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(data, indent=2) + "\n")
    print(f"\n{'server':30} {'hello req/s':>12} {'ratio':>6} {'slow req/s':>11} {'ratio':>6}")
    for r in data["rows"]:
        print(f"{r['server']:30} {r['hello']:12.0f} {r['hello_ratio']:6.2f} {r['slow']:11.0f} {r['slow_ratio']:6.2f}")
    print(f"\nwritten to {RESULTS.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
