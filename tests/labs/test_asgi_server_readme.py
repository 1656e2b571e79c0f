"""The asgi-server README's "Serving real Starlette and Django apps", followed step by step with
the reference solution, as a learner would from a folder of their own."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from onthewire import course

BIN = Path(sys.executable).parent
EXAMPLES = course.lab("asgi-server").path / "examples"


def streamed_lines(url: str) -> list[str]:
    """The body's lines, checked to arrive one by one (the examples make one every 0.5 s)."""
    got, times = [], []
    with httpx.stream("GET", url, timeout=5) as response:
        for line in response.iter_lines():
            got.append(line)
            times.append(time.monotonic())
    assert times[-1] - times[0] > 0.8, f"the lines of {url} came all at once, not streamed"
    return got


def test_starlette_example(tmp_path: Path, wire_process: Callable, no_leftovers: None) -> None:
    shutil.copy(EXAMPLES / "starlette_app.py", tmp_path)
    with wire_process("start", "asgi-server", "starlette_app:app", "--solution", cwd=tmp_path, workspace=tmp_path / "ws") as wire:
        url = wire.url
        assert httpx.get(f"{url}/?name=Ada", timeout=5).text == "Hello from Starlette, Ada!\n"
        assert streamed_lines(f"{url}/count") == ["1", "2", "3"]


def test_django_startproject_example(tmp_path: Path, wire_process: Callable, no_leftovers: None) -> None:
    subprocess.run([str(BIN / "django-admin"), "startproject", "mysite"], cwd=tmp_path, check=True)
    project = tmp_path / "mysite"
    with wire_process("start", "asgi-server", "mysite.asgi:application", "--solution", cwd=project, workspace=tmp_path / "ws") as wire:
        url = wire.url
        assert "The install worked successfully!" in httpx.get(f"{url}/", timeout=5).text
    shutil.copy(EXAMPLES / "urls.py", project / "mysite" / "urls.py")
    with wire_process("start", "asgi-server", "mysite.asgi:application", "--solution", cwd=project, workspace=tmp_path / "ws") as wire:
        url = wire.url
        assert httpx.get(f"{url}/hello/?name=Ada", timeout=5).text == "Hello from Django, Ada!\n"
        assert streamed_lines(f"{url}/count/") == ["1", "2", "3"]
        assert httpx.get(f"{url}/admin/login/", timeout=5).status_code == 200
