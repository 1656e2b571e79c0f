"""wire: the in-memory client/server pair does the connection preface and SETTINGS exchange."""

from __future__ import annotations

from snippets.http2.wire import PREFACE, connected, split_frames


def test_preface_then_settings_both_ways_and_acks(snippet_output) -> None:
    p = connected()
    kinds = [line.split()[3] for line in p.log]
    assert kinds == ["PREFACE", "SETTINGS", "SETTINGS", "SETTINGS", "SETTINGS"]
    assert [("ACK" in line) for line in p.log] == [False, False, False, True, True]
    assert snippet_output("wire.py").splitlines() == p.log


def test_split_frames_reads_the_nine_byte_header() -> None:
    frames = split_frames(PREFACE + bytes.fromhex("000008060000000000") + b"12345678")
    assert len(frames) == 1 and frames[0][1].type == 0x6 and frames[0][1].opaque_data == b"12345678"
