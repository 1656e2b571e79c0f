"""Every lab's checks use the one check kit (onthewire.labs.kit) and the harness's fixtures:
a helper copied into a lab's checks/ would drift from the kit, as the copies before it did."""

from __future__ import annotations

import ast
import re
import shutil
import time
from pathlib import Path

import pytest

from onthewire import course
from onthewire.labs import kit

LABS = [lab.id for lab in course.labs()]
# What the harness (onthewire.labs.harness) provides once for every lab: a lab's conftest may
# wrap `serve`, but never defines these again.
HARNESS_ONLY = {"markers", "run_lab", "lab", "code_dir", "pytest_runtest_call"}
# Starting the learner's server is the harness's `serve` (or `run_lab`), never by hand.
NOT_IN_CHECKS = {"command_for", "env_for", "running"}


def _modules(lab_id: str) -> list[tuple[Path, ast.Module]]:
    checks = course.lab(lab_id).checks
    return [(path, ast.parse(path.read_text(), str(path))) for path in sorted(checks.rglob("*.py"))]


@pytest.mark.parametrize("lab_id", LABS)
def test_checks_define_no_kit_function(lab_id: str) -> None:
    exported = set(kit.__all__)
    copies = [
        f"{path.name}: {node.name}"
        for path, tree in _modules(lab_id)
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in exported | HARNESS_ONLY
    ]
    assert not copies, f"{lab_id}'s checks define what onthewire.labs.kit or the harness gives: {copies}"


@pytest.mark.parametrize("lab_id", LABS)
def test_checks_start_servers_through_the_harness(lab_id: str) -> None:
    by_hand = [
        f"{path.name} line {node.lineno}: {alias.name}"
        for path, tree in _modules(lab_id)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module in ("onthewire.labs.runner", "onthewire.serving")
        for alias in node.names
        if alias.name in NOT_IN_CHECKS
    ]
    assert not by_hand, f"{lab_id}'s checks start the code under test by hand (use `serve` or `run_lab`): {by_hand}"


@pytest.mark.parametrize("lab_id", LABS)
def test_check_apps_share_one_markers_module(lab_id: str) -> None:
    checks = course.lab(lab_id).checks
    assert not (checks / "apps" / "markers.py").exists(), "use onthewire.labs.apps.markers"
    texts = {path.name: path.read_text() for path in checks.rglob("*.py")}
    own = [name for name, text in texts.items() if "_LAB_DIR" in text or "SIGALRM" in text]
    assert not own, f"{own}: markers live in $WIRE_MARKERS and the deadline is the harness's ([checks] in lab.toml)"


def test_a_deadline_fails_a_loop_that_never_ends() -> None:
    started = time.monotonic()
    with pytest.raises(pytest.fail.Exception, match=r"^the loop took longer than 0.2 s$"):
        with kit.deadline(0.2, "the loop"):
            while True:
                pass
    assert time.monotonic() - started >= 0.2


def test_an_inner_deadline_puts_the_outer_one_back() -> None:
    with pytest.raises(pytest.fail.Exception, match="the outer block took longer than 0.5 s"):
        with kit.deadline(0.5, "the outer block"):
            with kit.deadline(5, "the inner block"):
                pass
            while True:
                pass


def _lab_folder(tmp_path: Path, checks: str) -> Path:
    folder = tmp_path / "a-lab"
    for part in ("starter", "solution", "checks"):
        (folder / part).mkdir(parents=True)
    (folder / "README.md").write_text("# A lab\n")
    lab_toml = (course.lab("wsgi-server").path / "lab.toml").read_text()
    # Without its own [checks] table; a top-level key must come before the first table ([[hints]]).
    lab_toml = re.sub(r"(?ms)^\[checks\]\n.*?(?=^\[)", "", lab_toml)
    head, table, rest = lab_toml.partition("\n[")
    if checks.startswith("["):
        text = lab_toml + "\n" + checks
    else:
        text = head + "\n" + checks + "\n" + table + rest
    (folder / "lab.toml").write_text(text)
    return folder


def test_the_deadline_comes_from_lab_toml(tmp_path: Path) -> None:
    assert course.load_lab(_lab_folder(tmp_path, "[checks]\ndeadline = 12.5\n")).check_deadline == 12.5
    shutil.rmtree(tmp_path / "a-lab")
    assert course.load_lab(_lab_folder(tmp_path, "")).check_deadline == course.DEFAULT_CHECK_DEADLINE


@pytest.mark.parametrize("checks", ["[checks]\ndeadline = 0\n", "[checks]\ndeadline = \"20\"\n",
                                    "[checks]\ndeadline = true\n", "[checks]\ntimeout = 20\n", "checks = 20\n"])
def test_a_bad_deadline_is_one_clear_line(tmp_path: Path, checks: str) -> None:
    with pytest.raises(course.CourseError) as error:
        course.load_lab(_lab_folder(tmp_path, checks))
    message = str(error.value)
    assert len(message.splitlines()) == 1 and "a-lab/lab.toml" in message and "checks" in message, message


def test_a_server_that_did_not_start_is_named_by_its_last_words() -> None:
    nginx = "starting\nnginx: [emerg] unknown directive \"htp2\" in nginx.conf:12\nTraceback ...\nRuntimeError: nginx exited\n"
    assert kit.last_words(nginx) == 'unknown directive "htp2" in nginx.conf:12'
    assert kit.last_words("INFO: starting\nTraceback ...\nImportError: no module named app\nexiting\n") == \
        "ImportError: no module named app"
    assert kit.last_words("INFO: starting\nbye\n\n") == "bye"
