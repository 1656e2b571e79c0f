"""The wsgi-server README's "Serving real Flask and Django apps", followed step by step with
the reference solution, as a learner would from a folder of their own."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from onthewire import course
from onthewire.serving import free_port, wait_for_port

BIN = Path(sys.executable).parent
EXAMPLES = course.lab("wsgi-server").path / "examples"


@contextmanager
def wire_start(app: str, cwd: Path, workspace: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([str(BIN / "wire"), "start", "wsgi-server", app, "--solution", "--port", str(port)],
                               cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "WIRE_WORKSPACE": str(workspace)})
    try:
        wait_for_port(port, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)


def test_flask_example(tmp_path: Path, no_leftovers: None) -> None:
    shutil.copy(EXAMPLES / "flask_app.py", tmp_path)
    with wire_start("flask_app:app", tmp_path, tmp_path / "ws") as url:
        assert httpx.get(f"{url}/?name=Ada", timeout=5).text == "Hello from Flask, Ada!\n"


def test_django_startproject_example(tmp_path: Path, no_leftovers: None) -> None:
    subprocess.run([str(BIN / "django-admin"), "startproject", "mysite"], cwd=tmp_path, check=True)
    project = tmp_path / "mysite"
    shutil.copy(EXAMPLES / "urls.py", project / "mysite" / "urls.py")
    with wire_start("mysite.wsgi:application", project, tmp_path / "ws") as url:
        assert httpx.get(f"{url}/hello/?name=Ada", timeout=5).text == "Hello from Django, Ada!\n"
        assert httpx.get(f"{url}/admin/login/", timeout=5).status_code == 200
