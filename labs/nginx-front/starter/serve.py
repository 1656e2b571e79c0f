"""Run the lab: nginx in front of uvicorn, with the configuration in nginx.conf.

`wire start nginx-front` runs this file. It makes a throwaway certificate authority and a
certificate for 127.0.0.1 (with the `openssl` command) and prints where the CA's
certificate is; starts uvicorn with app.py on a free port of 127.0.0.1; fills in
nginx.conf's placeholders and starts nginx from a temporary folder (its prefix), listening
on https://HOST:PORT. Ctrl-C or SIGTERM stops nginx, then uvicorn, and removes the files.

README.md says what to change in nginx.conf, and in UVICORN_OPTIONS below.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from onthewire.nginx import nginx_binary
from onthewire.serving import HOST, ServerDidNotStart, free_port, python, stop, wait_for_port
from snippets.http2.tlsfiles import certificates

HERE = Path(__file__).parent

# --8<-- [start:trust]
# uvicorn's command-line options for the headers nginx adds
# (https://www.uvicorn.org/settings/#http).
# TODO (step 4): uvicorn believes X-Forwarded-Proto and X-Forwarded-For from nginx, which
# connects from 127.0.0.2 (proxy_bind in nginx.conf), and from no other client, on 127.0.0.1 too.
UVICORN_OPTIONS: list[str] = []
# --8<-- [end:trust]


def render(template: str, values: dict[str, str]) -> str:
    """nginx.conf with each {name} replaced (str.format would trip over nginx's own braces)."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", value)
    return template


@contextlib.contextmanager
def started(name: str, command: list[str], port: int) -> Iterator[subprocess.Popen]:
    """Run a server that writes to this terminal; yield once it listens; stop it at the end."""
    process = subprocess.Popen(command, cwd=HERE, stdin=subprocess.DEVNULL)
    try:
        try:
            wait_for_port(port, process=process)
        except ServerDidNotStart as e:
            raise SystemExit(f"{name} did not start: {e} (its messages are above)") from None
        yield process
    finally:
        stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=HOST)
    parser.add_argument("--port", type=int, default=8443)
    args = parser.parse_args()
    app_port = free_port()
    with certificates() as files, tempfile.TemporaryDirectory(prefix="onthewire-nginx-") as tmp:
        prefix = Path(tmp)
        prefix.chmod(0o755)  # nginx's worker, an unprivileged user, writes its temp files here
        conf = prefix / "nginx.conf"
        conf.write_text(render((HERE / "nginx.conf").read_text(), {
            "port": str(args.port), "upstream": f"{HOST}:{app_port}",
            "certfile": str(files.cert), "keyfile": str(files.key), "prefix": str(prefix),
        }))
        print(f"CA certificate: {files.ca}", flush=True)
        print(f"uvicorn: http://{HOST}:{app_port} (the upstream; clients go through nginx)", flush=True)
        uvicorn = [python(), "-m", "uvicorn", "app:app", "--host", HOST, "--port", str(app_port), *UVICORN_OPTIONS]
        with started("uvicorn", uvicorn, app_port):
            # -e stderr: nginx opens its compiled-in error log before it reads the configuration.
            with started("nginx", [nginx_binary(), "-p", str(prefix), "-c", str(conf), "-e", "stderr"], args.port):
                print(f"nginx: https://{args.host}:{args.port}/ (Ctrl-C stops both)", flush=True)
                pid, status = os.wait()  # until one of them exits, or a signal arrives
                print(f"process {pid} exited with code {os.waitstatus_to_exitcode(status)}; stopping", flush=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    # SIGTERM, and SIGINT even where it was ignored at start (a background job): either one
    # leaves through the `with` blocks, which stop nginx, then uvicorn.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _interrupt)
    try:
        main()
    except KeyboardInterrupt:
        pass
