"""Stopping: nginx and uvicorn stop with serve.py, and nothing is left behind."""

from __future__ import annotations

from front_checks import started
from onthewire.labs.kit import fail


def test_stopping_leaves_nothing_behind(serve, record_property) -> None:
    """stops nginx and uvicorn within 5 s of SIGTERM, and leaves no process behind

    Look at: a config nginx cannot load, or a server that does not stop: serve.py's output (wire start) says which.
    """
    with started(serve) as front:
        pass
    code = front.running.process.returncode
    record_property("measured", f"serve.py exited with code {code}; of the {len(front.processes.members)} processes it started, "
                                f"{len(front.processes.left_behind)} left behind")
    if front.processes.left_behind:
        fail(f"still running 10 s after the stop: {', '.join(front.processes.left_behind)}")
    if code != 0:
        fail(f"serve.py did not stop by itself within 5 s of SIGTERM (exit code {code})")
