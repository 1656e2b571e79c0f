"""Two mistakes a learner makes that no check asserts on, reported all the same:

- a traceback through the learner's code while a check ran fails that check, with its last
  lines, though the check's own assertions passed (a refusal without `return` goes on to
  `accept()`, and the server prints a traceback on every refused client);
- code that does not compile, or that raises while the server imports it, stops the run with
  Python's own message, file and line, instead of failing every check alike.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from onthewire import course
from onthewire.labs import tracebacks, workspace

WIRE = str(Path(sys.executable).parent / "wire")


@pytest.fixture
def chat(tmp_path: Path) -> Path:
    """The chat lab's reference solution, copied into a learner's workspace."""
    lab = course.lab("chat")
    mine = tmp_path / "workspace" / lab.id
    with workspace.assembled(lab, lab.solution) as reference:
        shutil.copytree(reference, mine)
    return mine


def _check(mine: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WIRE_WORKSPACE": str(mine.parent)}
    return subprocess.run([WIRE, "check", "chat", *args], capture_output=True, text=True, env=env, timeout=300)


def _break(mine: Path, old: str, new: str) -> None:
    app = mine / "app.py"
    text = app.read_text()
    assert text.count(old) == 1, f"the solution no longer has {old!r}"
    app.write_text(text.replace(old, new))


def test_a_traceback_fails_the_check_it_happened_in(chat: Path, no_leftovers: None) -> None:
    _break(chat, "await websocket.close(code=POLICY_VIOLATION)  # before accept(): HTTP 403\n        return\n",
           "await websocket.close(code=POLICY_VIOLATION)  # before accept(): HTTP 403\n")
    result = _check(chat, "--exitfirst")
    assert result.returncode == 1
    assert "the server printed a Python traceback:" in result.stdout
    assert 'File "app.py", line' in result.stdout and "await websocket.accept()" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_syntax_error_stops_the_run_with_file_and_line(chat: Path, no_leftovers: None) -> None:
    _break(chat, "    await websocket.accept()\n", "    await websocket.accept(\n")
    result = _check(chat)
    assert result.returncode == 1
    assert "your code does not compile: SyntaxError: '(' was never closed" in result.stdout
    assert 'File "app.py", line' in result.stdout and "^" in result.stdout
    assert "passed" not in result.stdout, "no check ran, so none is listed"


def test_an_error_at_import_stops_the_run_with_the_traceback(chat: Path, no_leftovers: None) -> None:
    (chat / "app.py").write_text((chat / "app.py").read_text() + "\nLIMIT = undefined_setting + 1\n")
    result = _check(chat)
    assert result.returncode == 1
    assert "could not start: your code raised NameError: name 'undefined_setting' is not defined" in result.stdout
    assert 'File "app.py", line' in result.stdout and "LIMIT = undefined_setting + 1" in result.stdout


def test_a_traceback_that_is_all_the_servers_own_is_not_the_learners() -> None:
    output = (
        "INFO: started\nTraceback (most recent call last):\n"
        '  File "/venv/uvicorn/impl.py", line 298, in receive\n    data.decode()\n'
        "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff\n"
    )
    assert tracebacks.last(output, Path("/work/lab")) is not None
    assert tracebacks.last(output, Path("/work/lab"), through=True) is None
    mine = output.replace("/venv/uvicorn/impl.py", "/work/lab/app.py")
    found = tracebacks.last(mine, Path("/work/lab"), through=True)
    assert found is not None and found.place == "app.py, line 298, in receive"
    assert found.error.startswith("UnicodeDecodeError")
