"""The asgi-server README's "Serving real Starlette and Django apps", followed step by step with
the reference solution, as a learner would from a folder of their own."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from onthewire import course
from onthewire.serving import free_port, wait_for_port

BIN = Path(sys.executable).parent
EXAMPLES = course.lab("asgi-server").path / "examples"


@contextmanager
def wire_start(app: str, cwd: Path, workspace: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([str(BIN / "wire"), "start", "asgi-server", app, "--solution", "--port", str(port)],
                               cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "WIRE_WORKSPACE": str(workspace)})
    try:
        wait_for_port(port, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)


def streamed_lines(url: str) -> list[str]:
    """The body's lines, checked to arrive one by one (the examples make one every 0.5 s)."""
    got, times = [], []
    with httpx.stream("GET", url, timeout=5) as response:
        for line in response.iter_lines():
            got.append(line)
            times.append(time.monotonic())
    assert times[-1] - times[0] > 0.8, f"the lines of {url} came all at once, not streamed"
    return got


def test_starlette_example(tmp_path: Path, no_leftovers: None) -> None:
    shutil.copy(EXAMPLES / "starlette_app.py", tmp_path)
    with wire_start("starlette_app:app", tmp_path, tmp_path / "ws") as url:
        assert httpx.get(f"{url}/?name=Ada", timeout=5).text == "Hello from Starlette, Ada!\n"
        assert streamed_lines(f"{url}/count") == ["1", "2", "3"]


def test_django_startproject_example(tmp_path: Path, no_leftovers: None) -> None:
    subprocess.run([str(BIN / "django-admin"), "startproject", "mysite"], cwd=tmp_path, check=True)
    project = tmp_path / "mysite"
    with wire_start("mysite.asgi:application", project, tmp_path / "ws") as url:
        assert "The install worked successfully!" in httpx.get(f"{url}/", timeout=5).text
    shutil.copy(EXAMPLES / "urls.py", project / "mysite" / "urls.py")
    with wire_start("mysite.asgi:application", project, tmp_path / "ws") as url:
        assert httpx.get(f"{url}/hello/?name=Ada", timeout=5).text == "Hello from Django, Ada!\n"
        assert streamed_lines(f"{url}/count/") == ["1", "2", "3"]
        assert httpx.get(f"{url}/admin/login/", timeout=5).status_code == 200
