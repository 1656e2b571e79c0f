"""interleave: on one HTTP/2 connection, later streams complete before an earlier, slower one."""

from __future__ import annotations

from snippets.http2.interleave import interleaved


def test_streams_3_and_5_overtake_stream_1(snippet_output) -> None:
    lines, finished = interleaved()
    assert finished == [3, 5, 1]
    data_streams = [int(l.split()[5]) for l in lines if " DATA " in l]
    assert data_streams == [1, 3, 5, 1]
    assert "streams completed in the order: [3, 5, 1]" in snippet_output("interleave.py")
