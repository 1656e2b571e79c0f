"""sse: the event-stream parser against the WHATWG rules, and the stream served by Starlette,
read by httpx as it arrives, resumed with Last-Event-ID."""

from __future__ import annotations

from onthewire.serving import serving_asgi
from snippets.websockets import sse
from snippets.websockets.sse import Event


def test_parser_rules() -> None:
    lines = [
        ": a comment", "data: one", "data:two", "data:  three", "",       # one space removed only
        "event: tick", "id: 7", "data", "",                               # a field with no colon
        "retry: soon", "retry: 1500", "data: x", "",                       # retry: digits only
        "id", "data: no id", "",                                          # an empty id resets it
        "event: lonely", "",                                              # no data: no event
        "data: unfinished",                                               # no blank line: dropped
    ]
    events, retry = sse.parse(lines)
    assert events == [
        Event("message", "one\ntwo\n three", ""),
        Event("tick", "", "7"),
        Event("message", "x", "7"),
        Event("message", "no id", ""),
    ]
    assert retry == 1500


def test_format_event_round_trips() -> None:
    text = sse.format_event(9, "score", "a\nb")
    assert text == "id: 9\nevent: score\ndata: a\ndata: b\n\n"
    assert sse.parse(text.split("\n"))[0] == [Event("score", "a\nb", "9")]


def test_stream_and_resume() -> None:
    with serving_asgi(sse.app) as url:
        content_type, lines = sse.listen(url)
        events, retry = sse.parse(lines)
        _, later = sse.listen(url, last_event_id="2")
    assert content_type.startswith("text/event-stream")
    assert retry == 2000
    assert [(e.id, e.type, e.data) for e in events] == [(str(i), k, d) for i, k, d in sse.NEWS]
    assert [e.id for e in sse.parse(later)[0]] == ["3"]
