"""rate_limit: the token bucket's arithmetic, and a flood closed with 1008 after the burst."""

from __future__ import annotations

from onthewire.serving import serving_asgi
from snippets.websockets import rate_limit


def test_bucket_with_a_fake_clock() -> None:
    now = [100.0]
    bucket = rate_limit.TokenBucket(rate=0.5, burst=3, clock=lambda: now[0])
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    now[0] += 1.9
    assert not bucket.take()
    now[0] += 0.1  # 2 s at 0.5 per second: one token
    assert bucket.take() and not bucket.take()
    now[0] += 3600  # never more than the burst
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]


def test_flood() -> None:
    with serving_asgi(rate_limit.app) as url:
        assert rate_limit.flood(url) == (5, 1008, "too many messages")
