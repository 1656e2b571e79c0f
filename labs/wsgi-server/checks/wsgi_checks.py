"""What only this lab's checks share. The clients come from the kit (onthewire.labs.kit): httpx
for ordinary requests, raw sockets where the bytes on the wire are the point, framed by h11 (a
strict HTTP/1.1 parser) when a connection carries several responses.
"""

from __future__ import annotations

import socket
from pathlib import Path

import h11

from onthewire.labs.kit import Reply, connect, read_until_closed, shown, until
from onthewire.serving import Running

APPS = Path(__file__).parent / "apps"  # the apps the checks serve: pass as app_dir=APPS


def _request(method: str, target: str, body: bytes) -> tuple[h11.Request, bytes]:
    headers = [("Host", "lab"), *([("Content-Length", str(len(body)))] if body or method == "POST" else [])]
    event = h11.Request(method=method, target=target, headers=headers)
    conn = h11.Connection(h11.CLIENT)
    return event, conn.send(event) + (conn.send(h11.Data(data=body)) if body else b"") + conn.send(h11.EndOfMessage())


def pipelined_then_eof(server: Running, requests: list[tuple[str, str, bytes]]) -> list[Reply]:
    """Send the requests back to back on one connection, then end the sending side: a server
    that reads past a body gets the next request's bytes, then the end of the stream, at
    once, instead of waiting for bytes that never come. Returns the responses, parsed by h11."""
    built = [_request(*r) for r in requests]
    with connect(server) as sock:
        sock.sendall(b"".join(data for _, data in built))
        sock.shutdown(socket.SHUT_WR)
        received = read_until_closed(sock)
    parser = h11.Connection(h11.CLIENT)
    replies: list[Reply] = []
    for n, ((event, _), (_, _, sent)) in enumerate(zip(built, requests)):
        if n:
            if parser.their_state is not h11.DONE:
                break
            parser.start_next_cycle()
        parser.send(event)
        if sent:
            parser.send(h11.Data(data=sent))
        parser.send(h11.EndOfMessage())
        if n == 0:
            parser.receive_data(received)
            parser.receive_data(b"")
        status, headers, body = 0, {}, b""
        while True:
            try:
                got = parser.next_event()
            except h11.RemoteProtocolError as e:
                if n and not body and not status:
                    return replies  # the connection ended before this response began
                raise AssertionError(f"response {n + 1} is not valid HTTP/1.1 ({e}); got {shown(received)}") from None
            if isinstance(got, h11.Response):
                status = got.status_code
                headers = {k.decode().lower(): v.decode("latin-1") for k, v in got.headers}
            elif isinstance(got, h11.Data):
                body += got.data
            elif isinstance(got, h11.EndOfMessage):
                replies.append(Reply(status, headers, body))
                break
            elif got is h11.NEED_DATA or isinstance(got, h11.ConnectionClosed):
                return replies
    return replies


def closed_or_released(markers: Path, name: str) -> str | None:
    """What became of the app's iterable `name`: "closed" once the server called its close(),
    "released" once the server let go of it without (the apps write one or the other), None
    when neither happened within the kit's timeout."""
    found: list[str] = []

    def settled() -> bool:
        for what in ("closed", "released"):
            if (markers / f"{name}.{what}").exists():
                found.append(what)
                return True
        return False

    return found[0] if until(settled) else None
