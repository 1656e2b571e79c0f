"""GOAWAY: the server stops gracefully on SIGTERM, and says so on every connection."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import h2.events
from h2.errors import ErrorCodes
from h2_checks import RawClient
from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import TIMEOUT, exit_status, refuses_connections, wait_for_exit


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


def test_refuses_new_streams_while_stopping(serve_app: ServeFactory, markers: Path) -> None:
    """while stopping, refuses a new stream with RST_STREAM (REFUSED_STREAM) and still finishes the one in progress

    A stream the server refuses was never processed, so the client may send it again on
    another connection (RFC 9113 §8.7).

    Look at: Connection.request_received() once the server is `stopping`, and Connection.shutdown(), which sets it
    """
    with serve_app(args=["--grace", "10"]) as server:
        raw = RawClient(server)
        try:
            first = raw.request("/hold")
            raw.wait_for(lambda e: isinstance(e, h2.events.ResponseReceived) and e.stream_id == first,
                         "the response headers of GET /hold")
            if raw.status(first) != "200":
                raise AssertionError(f"GET /hold answered {raw.status(first)}, want 200")
            server.process.send_signal(signal.SIGTERM)
            if not refuses_connections(server):
                raise AssertionError(f"the server still accepted connections {TIMEOUT:g} s after SIGTERM")
            second = raw.request("/after")
            answer = raw.wait_for(lambda e: isinstance(e, (h2.events.ResponseReceived, h2.events.StreamReset))
                                  and e.stream_id == second, "an answer to a stream opened after SIGTERM")
            (markers / "go").write_text("go")
            raw.wait_for(lambda e: isinstance(e, h2.events.StreamEnded) and e.stream_id == first,
                         "the end of the stream in progress (GET /hold) after SIGTERM")
            goaway = raw.wait_for(lambda e: isinstance(e, h2.events.ConnectionTerminated), "a GOAWAY frame")
        finally:
            raw.close()
        code = wait_for_exit(server, 5)
    if not isinstance(answer, h2.events.StreamReset):
        raise AssertionError(f"a stream opened while the server was stopping got status {raw.status(second)}; "
                             "want RST_STREAM with REFUSED_STREAM")
    assert answer.error_code == ErrorCodes.REFUSED_STREAM, \
        f"the stream opened while stopping was reset with {answer.error_code!r}, want REFUSED_STREAM"
    assert goaway.error_code == 0, f"GOAWAY said error {goaway.error_code!r}, want NO_ERROR (0)"
    assert code == 0, f"the server {exit_status(code)} after SIGTERM, want exit code 0"
