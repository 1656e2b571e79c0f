"""Six ASGI servers, one app: start each for real and ask what it is.

Each server runs probe.py's app as a subprocess on 127.0.0.1, the way you would start it from
a shell. httpx asks twice: once in HTTP/1.1, which every server speaks, and once in cleartext
HTTP/2 with prior knowledge (h2c: the client opens with the HTTP/2 preface, without TLS).
The app reports the ASGI versions in its scope, the event loop that runs it, and whether
that is the process we started or a worker process it spawned.

Run it:  python servers.py
Try:     gunicorn with -w 4; granian with --workers 2 or --loop asyncio; hypercorn with
         --worker-class uvloop; uvicorn with --http zttp --http2 (then h2c answers).
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

import httpx
import psutil

from onthewire.serving import free_port, python, running

HERE = Path(__file__).parent  # probe.py is imported from here, as `probe:app`

# --8<-- [start:commands]
SERVERS = {  # name: (packages, command line for a port P)
    "uvicorn": (["uvicorn"], "uvicorn probe:app --host 127.0.0.1 --port P"),
    "hypercorn": (["hypercorn"], "hypercorn probe:app --bind 127.0.0.1:P"),
    "daphne": (["daphne"], "daphne -b 127.0.0.1 -p P probe:app"),
    "granian": (["granian"], "granian --interface asgi --host 127.0.0.1 --port P probe:app"),
    "gunicorn+UvicornWorker": (["gunicorn", "uvicorn-worker"],
                               "gunicorn -k uvicorn_worker.UvicornWorker -w 2 -b 127.0.0.1:P probe:app"),
    # gunicorn's own asyncio worker: its HTTP parser, not uvicorn's.
    "gunicorn -k asgi": (["gunicorn"], "gunicorn -k asgi -w 2 -b 127.0.0.1:P probe:app"),
}
# --8<-- [end:commands]


def spec_versions(rows: list[dict]) -> list[tuple[str, str]]:
    """(server, HTTP spec_version) oldest first; a server that declares none means 2.0, by the
    ASGI spec's default."""
    declared = [(row["server"], "2.0" if row["spec_version"] == "(none)" else row["spec_version"]) for row in rows]
    return sorted(declared, key=lambda pair: tuple(int(n) for n in pair[1].split(".")))


def command(line: str, port: int) -> list[str]:
    """The command line with the port filled in, run as `python -m` from the course's venv."""
    return [python(), "-m", *line.replace(" P", f" {port}").replace(":P", f":{port}").split()]


# --8<-- [start:ask]
def ask(name: str) -> dict:
    """Start server `name` serving probe:app, ask it in HTTP/1.1 and in h2c, stop it."""
    packages, line = SERVERS[name]
    port = free_port()
    with running(command(line, port), port=port, cwd=HERE) as server:
        response = httpx.get(server.url, timeout=5)
        report = response.json()
        try:
            with httpx.Client(http1=False, http2=True, timeout=5) as h2:  # prior knowledge
                h2c = h2.get(server.url).http_version
        except (httpx.RemoteProtocolError, httpx.ReadError):
            h2c = "closed"  # the server hung up on the HTTP/2 preface (a FIN or a reset)
        started_pid = server.process.pid
        workers = psutil.Process(started_pid).children(recursive=True)
    psutil.wait_procs(workers, timeout=5)  # a worker can outlive its parent by a moment
    return {
        "server": name,
        "version": " + ".join(version(p) for p in packages),
        "status": response.status_code,
        "server header": response.headers.get("server", "(none)"),
        "date header": "yes" if "date" in response.headers else "no",
        "h2c": h2c,
        "spec_version": report["asgi"].get("spec_version", "(none)"),
        "loop": report["loop"].split(".")[0],  # uvloop.Loop, or one of asyncio's
        "app runs in": "the process started" if report["pid"] == started_pid else "a worker process",
        "extensions": report["extensions"],
    }
# --8<-- [end:ask]


if __name__ == "__main__":
    rows = [ask(name) for name in SERVERS]
    columns = ["server", "version", "status", "server header", "date header", "h2c", "spec_version", "loop", "app runs in"]
    widths = [max(len(str(row[c])) for row in [dict(zip(columns, columns)), *rows]) for c in columns]
    for row in [dict(zip(columns, columns)), *rows]:
        print("  ".join(str(row[c]).ljust(w) for c, w in zip(columns, widths)).rstrip())
    print()
    for row in rows:
        print(f"scope extensions, {row['server']}: {', '.join(row['extensions']) or '(none)'}")
    print()
    oldest_first = ", ".join(f"{name} {spec}" for name, spec in spec_versions(rows))
    print(f"HTTP spec_version, oldest first (none declared counts as 2.0): {oldest_first}")
