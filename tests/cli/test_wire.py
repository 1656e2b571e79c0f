"""The `wire` command as a learner uses it: each command, and each kind of bad input
(an unknown lab, a port in use, a bad APP, no workspace yet) answered in one line, exit 2,
with no traceback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from onthewire import course
from onthewire.labs import workspace as files

WIRE = str(Path(sys.executable).parent / "wire")


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return tmp_path / "workspace"


def wire(*args: str, workspace: Path, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([WIRE, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          env={**os.environ, "WIRE_WORKSPACE": str(workspace)})


def assert_bad_input(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    message = result.stderr.strip()
    assert message.startswith("wire: ") and "\n" not in message, message
    for word in words:
        assert word in message


def test_list_shows_labs_in_course_order(workspace: Path) -> None:
    result = wire("list", workspace=workspace)
    assert result.returncode == 0
    positions = [result.stdout.index(lab.id) for lab in course.labs()]
    assert positions == sorted(positions)
    assert "not started" in result.stdout


def test_unknown_lab(workspace: Path) -> None:
    for command in ("start", "check", "hint", "solution"):
        assert_bad_input(wire(command, "no-such-lab", workspace=workspace), "unknown lab", "http-server")


def test_check_and_solution_before_start_name_the_fix(workspace: Path) -> None:
    assert_bad_input(wire("check", "http-server", workspace=workspace), "wire start http-server")
    assert_bad_input(wire("solution", "http-server", workspace=workspace), "wire start http-server")


def test_port_in_use(workspace: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert_bad_input(wire("start", "http-server", "--port", str(port), workspace=workspace), f"port {port}", "--port")
    assert not workspace.exists(), "nothing is copied when the lab cannot start"


def test_bad_ports_and_apps(workspace: Path) -> None:
    assert_bad_input(wire("start", "http-server", "--port", "70000", workspace=workspace), "between 1 and 65535")
    assert_bad_input(wire("start", "http-server", "hello:app", workspace=workspace), "takes no APP")
    assert_bad_input(wire("start", "wsgi-server", "hello", workspace=workspace), "module:attribute")


def test_usage_errors_exit_2_without_traceback(workspace: Path) -> None:
    for args in ((), ("frobnicate",), ("start",), ("check", "http-server", "--solution", "--starter")):
        result = wire(*args, workspace=workspace)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr and "usage: wire" in result.stderr


@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["ctrl-c", "term", "hangup"])
def test_start_copies_the_starter_serves_and_stops_with_its_server(workspace: Path, stop_with: int, wire_process: Callable,
                                                                    no_leftovers: None) -> None:
    with wire_process("start", "http-server", workspace=workspace, stop_with=stop_with) as wire:
        lab = course.lab("http-server")
        for rel, source in files.sources(lab, lab.starter).items():  # given/ and starter/
            assert (workspace / lab.id / rel).read_bytes() == source.read_bytes()
    assert wire.code == 0
    assert "Copied the starter into" in wire.out and wire.url in wire.out
    assert "Traceback" not in wire.out


def test_start_serves_the_learners_own_app_from_the_current_folder(tmp_path: Path, workspace: Path, wire_process: Callable,
                                                                    no_leftovers: None) -> None:
    (tmp_path / "myapp.py").write_text(
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain'), ('Content-Length', '5')])\n"
        "    return [b'mine\\n']\n"
    )
    with wire_process("start", "wsgi-server", "--solution", "myapp:app", cwd=tmp_path, workspace=workspace) as wire:
        assert httpx.get(f"{wire.url}/", timeout=5).text == "mine\n"


@pytest.mark.parametrize("lab_id", [lab.id for lab in course.labs() if files.given(lab).is_dir()])
def test_a_copy_holds_the_given_files_and_the_diff_only_what_differs(lab_id: str, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIRE_WORKSPACE", str(workspace))
    lab = course.lab(lab_id)
    mine, created = files.ensure(lab)
    given = set(files.files(files.given(lab)))
    assert created and set(files.files(mine)) == given | set(files.files(lab.starter))
    # `wire solution` names only the files that differ: the TODO spots, never a given file.
    changed = {line.removeprefix("--- yours/") for line in files.diff(lab, mine).splitlines() if line.startswith("--- yours/")}
    assert changed and not changed & {rel.as_posix() for rel in given}
    # A second start finds the learner's work and leaves it as it is.
    edited = mine / sorted(given)[0]
    edited.write_text("mine\n")
    assert files.ensure(lab) == (mine, False) and edited.read_text() == "mine\n"
    with files.assembled(lab, lab.solution) as reference:
        assert set(files.files(reference)) == given | set(files.files(lab.solution))
        assert not files.diff(lab, reference)
    assert not reference.exists()


def test_hints_come_one_at_a_time_and_are_remembered(workspace: Path) -> None:
    """Before any check has failed, the hints come in lab.toml's order (tests/labs/test_hints.py
    shows them following the check that failed first)."""
    lab = course.lab("http-server")
    for i, hint in enumerate(lab.hints, start=1):
        result = wire("hint", lab.id, workspace=workspace)
        assert result.returncode == 0
        assert result.stdout.strip() == f"Hint {i} of {len(lab.hints)}:\n  {hint.text}"
    again = wire("hint", lab.id, workspace=workspace)
    assert "read every hint" in again.stdout and f"wire solution {lab.id}" in again.stdout
    everything = wire("hint", lab.id, "--all", workspace=workspace)
    assert everything.stdout.count("Hint ") >= len(lab.hints)


def test_solution_diff_then_apply_keeps_a_backup_then_check_passes(workspace: Path, no_leftovers: None) -> None:
    lab = course.lab("http-server")
    mine = workspace / lab.id
    # Make a workspace as `wire start` does, and mark a file as the learner's own work.
    subprocess.run([sys.executable, "-c", f"from onthewire import course; from onthewire.labs import workspace; workspace.ensure(course.lab('{lab.id}'))"],
                   env={**os.environ, "WIRE_WORKSPACE": str(workspace)}, check=True)
    learner_file = next(mine.rglob("*.py"))
    learner_file.write_text(learner_file.read_text() + "\n# my own notes\n")

    diff = wire("solution", lab.id, workspace=workspace)
    assert diff.returncode == 0
    assert "--- yours/" in diff.stdout and "+++ solution/" in diff.stdout and "-# my own notes" in diff.stdout

    applied = wire("solution", lab.id, "--apply", workspace=workspace)
    assert applied.returncode == 0 and "kept in" in applied.stdout
    backups = list((workspace / ".backups").iterdir())
    assert len(backups) == 1
    assert "# my own notes" in (backups[0] / learner_file.relative_to(mine)).read_text()
    assert wire("solution", lab.id, workspace=workspace).stdout.startswith("Your code in")

    checked = wire("check", lab.id, workspace=workspace)
    assert checked.returncode == 0, checked.stdout
    assert "is done" in checked.stdout
    status = wire("list", workspace=workspace).stdout
    assert next(line for line in status.splitlines() if lab.id in line).endswith("done")


def test_doctor_reports_each_check_with_its_fix(workspace: Path) -> None:
    result = wire("doctor", workspace=workspace)
    assert result.returncode in (0, 1)
    assert "Traceback" not in result.stdout + result.stderr
    assert "✓ Python 3." in result.stdout
    assert "running from the course's virtual environment" in result.stdout
    for line in result.stdout.splitlines():
        if line.startswith(("✗", "!")):
            follow = result.stdout.split(line, 1)[1].lstrip("\n").splitlines()[0]
            assert follow.strip().startswith("fix:"), line


def test_a_reader_that_stops_early_gets_no_traceback(workspace: Path) -> None:
    """`wire hint LAB --all | head -3`: the pipe closes under wire, which stops quietly."""
    process = subprocess.Popen([WIRE, "hint", "chat", "--all"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "WIRE_WORKSPACE": str(workspace)})
    process.stdout.close()  # before wire writes a word: every write it makes fails
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1 and b"Traceback" not in err, err.decode()
