"""h11 limits an incomplete head to 16 KiB and hints 431; uvicorn answers 400 with h11 and has
no limit with httptools."""

from __future__ import annotations

import h11

from onthewire.serving import serving_asgi
from snippets.http import header_limits
from snippets.http.demo_app import app

KIB = header_limits.KIB


def test_h11_limit_applies_only_while_the_head_is_incomplete() -> None:
    head = header_limits.head_of(20 * KIB)
    assert header_limits.h11_reads(head, piece=len(head)) == "a Request with 2 fields"
    refused = header_limits.h11_reads(head, piece=4 * KIB)
    assert refused.startswith("refused at 20480 bytes") and refused.endswith("status 431")


def test_uvicorn_with_a_1_mib_head() -> None:
    head = header_limits.head_of(1024 * KIB)
    for parser, expected in (("httptools", "200 OK"), ("h11", "400 Bad Request")):
        with serving_asgi(app, http=parser, log_level="error") as url:
            assert header_limits.send_big_head(url, head) == expected, parser


def test_h11_default_limit_is_16_kib() -> None:
    assert h11.Connection(our_role=h11.SERVER)._max_incomplete_event_size == 16 * KIB
