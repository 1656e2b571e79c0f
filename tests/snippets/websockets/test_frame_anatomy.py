"""frame_anatomy: RFC 6455 §5.7's examples, as the RFC prints them and as wsproto reads them."""

from __future__ import annotations

import pytest

from snippets.websockets import frame_anatomy


@pytest.mark.parametrize("example", frame_anatomy.EXAMPLES, ids=lambda e: e.name)
def test_matches_the_rfc(example: frame_anatomy.Example) -> None:
    assert frame_anatomy.matches_rfc(example)


@pytest.mark.parametrize("example", frame_anatomy.EXAMPLES, ids=lambda e: e.name)
def test_wsproto_reads_a_whole_message(example: frame_anatomy.Example) -> None:
    read = frame_anatomy.wsproto_reads(example)
    assert read[-1][2] is True and all(not done for _, _, done in read[:-1])
    payload = read[0][1]
    assert payload in ("Hello", "Hel", b"Hello") or len(payload) in (256, 65536)


def test_header_sizes() -> None:
    assert [frame_anatomy.header_size(n, False) for n in (125, 126, 65535, 65536)] == [2, 4, 4, 10]
    assert [frame_anatomy.header_size(n, True) for n in (125, 126, 65535, 65536)] == [6, 8, 8, 14]
