"""`make notebooks` opens JupyterLab on notebooks/ with the course's own Python as its kernel."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx

from onthewire import paths
from onthewire.serving import free_port, running


def test_jupyterlab_serves_the_notebooks_with_the_course_kernel(no_leftovers: None) -> None:
    recipe = subprocess.run(["make", "-n", "notebooks"], cwd=paths.ROOT, capture_output=True, text=True, check=True).stdout
    command = next(line for line in recipe.splitlines() if "jupyter lab" in line).split()
    assert command[0].endswith(".venv/bin/jupyter") and "--ServerApp.root_dir=notebooks" in command
    port = free_port()
    argv = [str(Path(sys.executable).parent / "jupyter"), *command[1:], "--no-browser", f"--ServerApp.port={port}",
            "--IdentityProvider.token=course-test"]
    with running(argv, port=port, cwd=paths.ROOT, env={**os.environ, "JUPYTER_PLATFORM_DIRS": "1"}, ready_timeout=60) as server:
        headers = {"Authorization": "token course-test"}
        specs = httpx.get(f"{server.url}/api/kernelspecs", headers=headers, timeout=10).json()
        kernel = specs["kernelspecs"]["python3"]["spec"]["argv"][0]
        assert Path(kernel).resolve() == Path(sys.executable).resolve() or re.search(r"python3?$", kernel)
        listing = httpx.get(f"{server.url}/api/contents", headers=headers, timeout=10).json()
        folders = {item["name"] for item in listing["content"]}
        assert {p.name for p in paths.NOTEBOOKS.iterdir() if p.is_dir()} <= folders
