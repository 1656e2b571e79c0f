"""frames: what h2 puts on the wire for a request, a PING, big headers, flow control, reset, GOAWAY."""

from __future__ import annotations

from snippets.http2.frames import cancel_and_goaway, continuation, flow_control, request_and_response


def _types(lines: list[str]) -> list[str]:
    return [line.split()[3] for line in lines if "->" in line]


def test_request_response_and_ping() -> None:
    lines = request_and_response()
    assert _types(lines)[5:] == ["HEADERS", "HEADERS", "DATA", "PING", "PING"]
    assert "00 00 0e 01 05 00 00 00 01" in "\n".join(lines)  # length 14, HEADERS, END_STREAM|END_HEADERS, stream 1


def test_a_big_header_block_takes_continuation_frames() -> None:
    lines = continuation()
    assert _types(lines) == ["HEADERS", "CONTINUATION", "CONTINUATION"]
    assert "END_HEADERS" in lines[-1] and "END_HEADERS" not in lines[0]


def test_the_sender_stops_at_the_window_until_window_update() -> None:
    lines = flow_control()
    text = "\n".join(lines)
    assert "window for stream 1: 0; 34465 bytes wait" in text
    data_before = _types(lines[: lines.index(next(l for l in lines if "WINDOW_UPDATE" in l))]).count("DATA")
    assert data_before == 4  # 3 x 16384 + 16383 = 65535
    assert sum(int(l.split()[-1]) for l in lines if " DATA " in l) == 100_000


def test_reset_one_stream_then_goaway() -> None:
    assert _types(cancel_and_goaway()) == ["HEADERS", "HEADERS", "RST_STREAM", "HEADERS", "GOAWAY"]


def test_output_is_stable(snippet_output) -> None:
    assert "## A 40 000-byte cookie: HEADERS + CONTINUATION" in snippet_output("frames.py")
