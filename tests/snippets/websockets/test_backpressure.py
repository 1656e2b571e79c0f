"""backpressure: send() stops returning while the client reads nothing, and goes on once it reads."""

from __future__ import annotations

from snippets.websockets import backpressure


def test_a_slow_reader_holds_the_sender_back() -> None:
    stalled, resumed = backpressure.measure(read_mib=4)
    assert 0 < stalled < 16 * backpressure.MiB
    assert resumed >= 4 * backpressure.MiB - stalled  # what the client read beyond the stalled bytes
