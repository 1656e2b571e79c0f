"""long_polling: a poll is held until there is news or the hold time is up, and a post
releases every held poll at once."""

from __future__ import annotations

import concurrent.futures

from onthewire.serving import serving_asgi
from snippets.websockets import long_polling as lp


def test_empty_poll_waits_for_the_hold_time() -> None:
    app = lp.make_app()
    with serving_asgi(app) as url:
        answer, took = lp.timed_poll(url, after=0)
    assert answer == {"messages": [], "next": 0}
    assert app.state.board.ran_out == 1 and took >= lp.HOLD * 0.9


def test_a_post_releases_every_held_poll() -> None:
    app = lp.make_app()
    with serving_asgi(app) as url, concurrent.futures.ThreadPoolExecutor(3) as pool:
        polls = [pool.submit(lp.timed_poll, url, 0) for _ in range(2)]
        board = app.state.board
        poster = lp.post_when_someone_waits(url, board, "hi")
        poster.join()
        answers = [p.result() for p in polls]
        again, took = lp.timed_poll(url, after=1)
    assert all(answer == {"messages": ["hi"], "next": 1} for answer, _ in answers)
    assert board.ran_out == 1  # the post released both polls; only the last one ran out
    assert again == {"messages": [], "next": 1}  # nothing after id 1: held, then empty
    assert took >= lp.HOLD * 0.9


def test_history_is_answered_without_a_hold() -> None:
    app = lp.make_app()
    with serving_asgi(app) as url:
        poster = lp.post_when_someone_waits(url, app.state.board, "hi")  # once a poll is held
        released, _ = lp.timed_poll(url, after=0)
        poster.join()
        history, _ = lp.timed_poll(url, after=0)
    assert released == history == {"messages": ["hi"], "next": 1}
    assert app.state.board.ran_out == 0

