"""GOAWAY: the server stops gracefully on SIGTERM, and says so on every connection."""

from __future__ import annotations

import signal
import subprocess

import h2.events
from h2_checks import RawClient
from onthewire.labs.harness import ServeFactory


def test_goaway_on_sigterm(serve_app: ServeFactory) -> None:
    """on SIGTERM, finishes the stream in progress, sends GOAWAY (NO_ERROR), and exits with code 0

    Look at: Connection.shutdown() and serve(): wait for the streams, then close_connection()
    """
    with serve_app() as server:
        raw = RawClient(server)
        try:
            slow = raw.request("/slow")
            raw.wait_for(lambda e: isinstance(e, h2.events.SettingsAcknowledged), "the server's SETTINGS ACK")
            server.process.send_signal(signal.SIGTERM)
            goaway = raw.wait_for(lambda e: isinstance(e, h2.events.ConnectionTerminated), "a GOAWAY frame")
            finished = any(isinstance(e, h2.events.StreamEnded) and e.stream_id == slow for e in raw.events)
        finally:
            raw.close()
        try:
            code = server.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
    assert finished, "the server sent GOAWAY before it finished the stream in progress (/slow)"
    assert goaway.error_code == 0, f"GOAWAY said error {goaway.error_code!r}, want NO_ERROR (0)"
    assert code == 0, "the server was still running 5 s after SIGTERM" if code is None else f"exit code {code}, want 0"
