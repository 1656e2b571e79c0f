"""`make serve`, as a learner runs it: the site at 127.0.0.1 with live reload; a port already
in use is one clear line, not a traceback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess

import httpx

from onthewire import paths
from onthewire.serving import free_port, wait_for_port


def test_make_serve_serves_the_site_with_live_reload(no_leftovers: None) -> None:
    port = free_port()
    process = subprocess.Popen(["make", "--no-print-directory", "serve", f"SITE_PORT={port}"], cwd=paths.ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_for_port(port, process=process, timeout=120)
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert page.status_code == 200 and "On the Wire" in page.text
        assert "livereload" in page.text
        assert httpx.get(f"http://127.0.0.1:{port}/labs/", timeout=10).status_code == 200
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches make and mkdocs alike
        output, _ = process.communicate(timeout=30)
    assert "Traceback" not in output, output


def test_make_serve_names_a_port_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(["make", "--no-print-directory", "serve", f"SITE_PORT={port}"], cwd=paths.ROOT,
                                capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert "Traceback" not in result.stderr
