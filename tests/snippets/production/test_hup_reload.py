"""hup_reload: SIGHUP gives Gunicorn new workers; they run the new code only without --preload
(with it, they are forks of a master that holds the old module)."""

from __future__ import annotations

import re

import pytest

from snippets.production.hup_reload import before_and_after_hup


@pytest.mark.parametrize(("preload", "after"), [(False, "version 2"), (True, "version 1")])
def test_sighup_reloads_the_code_only_without_preload(preload: bool, after: str) -> None:
    got_before, got_after, log = before_and_after_hup(preload)
    assert (got_before, got_after) == ("version 1", after)
    # The answer after SIGHUP came from a new worker: the master booted a second one, and the
    # first one exited (the helper waited for that) before the second request was sent.
    assert log.count("Hang up: Master") == 1
    booted = re.findall(r"Booting worker with pid: (\d+)", log)
    exited = re.findall(r"Worker exiting \(pid: (\d+)\)", log)
    assert len(set(booted)) == 2 and exited[0] == booted[0]


def test_the_page_output(snippet_output) -> None:
    assert snippet_output("hup_reload.py").splitlines() == [
        "without --preload: before SIGHUP 'version 1', after (a new worker) 'version 2'",
        "with --preload:    before SIGHUP 'version 1', after (a new worker) 'version 1'",
    ]
