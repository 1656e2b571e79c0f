"""The wsgi-server README's "Serving real Flask and Django apps", followed step by step with
the reference solution, as a learner would from a folder of their own."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx

from onthewire import course

BIN = Path(sys.executable).parent
EXAMPLES = course.lab("wsgi-server").path / "examples"


def test_flask_example(tmp_path: Path, wire_process: Callable, no_leftovers: None) -> None:
    shutil.copy(EXAMPLES / "flask_app.py", tmp_path)
    with wire_process("start", "wsgi-server", "flask_app:app", "--solution", cwd=tmp_path, workspace=tmp_path / "ws") as wire:
        url = wire.url
        assert httpx.get(f"{url}/?name=Ada", timeout=5).text == "Hello from Flask, Ada!\n"


def test_django_startproject_example(tmp_path: Path, wire_process: Callable, no_leftovers: None) -> None:
    subprocess.run([str(BIN / "django-admin"), "startproject", "mysite"], cwd=tmp_path, check=True)
    project = tmp_path / "mysite"
    shutil.copy(EXAMPLES / "urls.py", project / "mysite" / "urls.py")
    with wire_process("start", "wsgi-server", "mysite.wsgi:application", "--solution", cwd=project, workspace=tmp_path / "ws") as wire:
        url = wire.url
        assert httpx.get(f"{url}/hello/?name=Ada", timeout=5).text == "Hello from Django, Ada!\n"
        assert httpx.get(f"{url}/admin/login/", timeout=5).status_code == 200
