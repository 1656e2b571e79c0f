"""Server-Sent Events: a response that never quite ends, in the `text/event-stream` format,
served by Starlette's StreamingResponse and read by httpx as it streams.

Each event is a few `field: value` lines and a blank line. `data` lines are the payload
(several are joined with newlines), `event` names its type, `id` sets the last event ID,
`retry` tells the client how long to wait before reconnecting, and a line starting with a
colon is a comment. A client that reconnects sends the last ID it saw as `Last-Event-ID`,
and the server resumes after it. The format: WHATWG HTML, "Server-sent events",
https://html.spec.whatwg.org/multipage/server-sent-events.html

Run it:  python sse.py
Try:     send an event whose data has a blank line in it. What must the server do?
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

from onthewire.serving import serving_asgi

NEWS = [  # (id, event type, data) in the order they happen
    (1, "message", "the match starts"),
    (2, "score", "home 1\naway 0"),
    (3, "message", "half time"),
]


# --8<-- [start:server]
def format_event(event_id: int, kind: str, data: str) -> str:
    lines = [f"id: {event_id}", f"event: {kind}"]
    lines += [f"data: {line}" for line in data.split("\n")]  # one data line per line
    return "\n".join(lines) + "\n\n"                         # a blank line ends the event


async def news(request: Request) -> StreamingResponse:
    last_seen = int(request.headers.get("last-event-id", "0"))

    async def stream() -> AsyncIterator[str]:
        yield "retry: 2000\n: reconnect after 2 s; this line is a comment\n\n"
        for event_id, kind, data in NEWS:
            if event_id > last_seen:               # resume after what the client saw
                await asyncio.sleep(0.05)          # news takes its time
                yield format_event(event_id, kind, data)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store"})


app = Starlette(routes=[Route("/news", news)])
# --8<-- [end:server]


@dataclass
class Event:
    type: str
    data: str
    id: str


# --8<-- [start:parser]
def parse(lines: Iterable[str]) -> tuple[list[Event], int | None]:
    """Events from the stream's lines, as WHATWG's "interpreting an event stream" says;
    and the last `retry` value (ms)."""
    events, retry = [], None
    kind, data, last_id = "", [], ""
    for line in lines:
        if line == "":                                   # dispatch
            if data:
                events.append(Event(kind or "message", "\n".join(data), last_id))
            kind, data = "", []
            continue
        if line.startswith(":"):                         # a comment
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            data.append(value)
        elif name == "event":
            kind = value
        elif name == "id" and "\0" not in value:
            last_id = value
        elif name == "retry" and value.isdigit():
            retry = int(value)
    return events, retry
# --8<-- [end:parser]


def listen(url: str, last_event_id: str | None = None) -> tuple[str, list[str]]:
    """(content type, the lines of the stream) of one GET /news, read as it streams."""
    headers = {"Accept": "text/event-stream"}
    if last_event_id:
        headers["Last-Event-ID"] = last_event_id
    # --8<-- [start:client]
    with httpx.stream("GET", url + "/news", headers=headers, timeout=5) as response:
        lines = []
        for line in response.iter_lines():  # each line as soon as it arrives
            lines.append(line)
    # --8<-- [end:client]
    return response.headers["content-type"], lines


def main() -> None:
    with serving_asgi(app) as url:
        content_type, lines = listen(url)
        events, retry = parse(lines)
        print(f"Content-Type: {content_type}")
        print("the stream, as sent:")
        for line in lines:
            print(f"  | {line}".rstrip())
        print(f"retry: {retry} ms")
        for event in events:
            print(f"event {event.id}: type={event.type!r} data={event.data!r}")
        _, lines = listen(url, last_event_id=events[1].id)
        print(f"reconnecting with Last-Event-ID: {events[1].id}")
        for event in parse(lines)[0]:
            print(f"event {event.id}: type={event.type!r} data={event.data!r}")


if __name__ == "__main__":
    main()
