"""SIGHUP: Gunicorn replaces every worker; whether the new ones run new code depends on --preload.

On SIGHUP the master re-reads its configuration, forks new workers and stops the old ones
gracefully (gunicorn/arbiter.py, handle_hup() and reload()). Without --preload each worker
imports the app after it is forked, so a new worker imports the code now on disk. With
--preload the master imported the app once, before forking; reload() keeps that app object
(Arbiter.setup() calls app.wsgi(), which returns the one already loaded), and every new
worker is a fork of the master, old code included. Gunicorn's signals page says the same:
the new version is loaded only "if the application is not preloaded".

Here a module is written, served, rewritten (the deploy), and the master gets SIGHUP.

Run it:  python hup_reload.py
Try:     send SIGUSR2 instead with --preload (a new master, which loads the new code), then
         SIGTERM to the old master.
"""

from __future__ import annotations

import signal
import tempfile
from pathlib import Path

import httpx

from snippets.production.servers import gunicorn

# --8<-- [start:app]
MODULE = '''\
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"{version}"]
'''
# --8<-- [end:app]


# --8<-- [start:hup]
def before_and_after_hup(preload: bool) -> tuple[str, str, str]:
    """What the app answers before a deploy, and after the new code is on disk and SIGHUP;
    and Gunicorn's log."""
    with tempfile.TemporaryDirectory(prefix="onthewire-deploy-") as folder:
        source = Path(folder, "deployed.py")
        source.write_text(MODULE.format(version="version 1"))
        options = ["--workers", "1", "--chdir", folder, *(["--preload"] if preload else [])]
        # Python's bytecode cache knows a source by its size and its mtime in whole seconds:
        # two same-sized versions written within a second would look alike. Write none.
        with gunicorn(*options, app="deployed:application",
                      env={"PYTHONDONTWRITEBYTECODE": "1"}) as server:
            before = httpx.get(server.url, timeout=10).text
            source.write_text(MODULE.format(version="version 2"))  # the deploy
            server.process.send_signal(signal.SIGHUP)
            server.wait_for_output("Worker exiting")  # the old worker is gone: only new ones
            after = httpx.get(server.url, timeout=10).text
    return before, after, server.output()
# --8<-- [end:hup]


if __name__ == "__main__":
    for preload in (False, True):
        before, after, _log = before_and_after_hup(preload)
        flag = "with --preload:   " if preload else "without --preload:"
        print(f"{flag} before SIGHUP {before!r}, after (a new worker) {after!r}")
