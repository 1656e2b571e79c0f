"""process_tree: Gunicorn's master forks the workers, replaces one that is killed, and adds
one on SIGTTIN; the master itself serves nothing and stays."""

from __future__ import annotations

import os

import pytest

from snippets.production.process_tree import WORKERS, children_of, demo, parent_of


@pytest.fixture(scope="module")
def seen() -> dict:
    return demo()


def test_the_master_forks_the_workers(seen: dict) -> None:
    assert len(seen["first"]) == WORKERS
    assert seen["before"][1:] == ["  ├─ W1  (parent: M)", "  └─ W2  (parent: M)"]


def test_master_and_workers_share_one_listening_socket(seen: dict) -> None:
    assert seen["shared"] == ["M", "W1", "W2"]
    assert seen["shared_after"] == ["M", "W2", "W3"]  # the new worker inherited it too


def test_a_killed_worker_is_replaced_by_a_new_process(seen: dict) -> None:
    assert seen["victim"] not in seen["after_kill"] and len(seen["after_kill"]) == WORKERS
    assert seen["kill_log"] == ["  [M] [ERROR] Worker (pid:W1) was sent SIGKILL! Perhaps out of memory?",
                                "  [W3] [INFO] Booting worker with pid: W3"]
    assert seen["master_alive"]


def test_sigttin_adds_a_worker(seen: dict) -> None:
    assert len(seen["grown"]) == WORKERS + 1
    assert seen["ttin_log"][-1] == "  [W4] [INFO] Booting worker with pid: W4"


def test_proc_parsing_finds_this_process() -> None:
    assert parent_of(os.getpid()) == os.getppid()
    assert os.getpid() in children_of(os.getppid())


def test_the_page_output(snippet_output) -> None:
    out = snippet_output("process_tree.py")
    assert "  └─ W3  (parent: M)" in out and "Handling signal: ttin" in out
