"""The module's app, counting how many /slow requests it is handling at once.

The multiplexing notebook sends 30 requests to /slow, over HTTP/1.1 with six connections and
over one HTTP/2 connection. How many were in flight together is counted where they are
handled: a /slow request counts from when the app gets it until its answer starts, and
GET /in-flight answers with the largest count since it was last asked, then starts over.

A request leaves the count before any byte of its answer goes out, so an HTTP/1.1 client
cannot send its next request on that connection while the last one is still counted: six
connections give at most six, however busy the machine.

Run it:  python in_flight.py   (three /slow calls one after another, then three at once)
Try:     serve it with hypercorn (from this folder: hypercorn in_flight:app) and send
         curl -k https://.../slow from two terminals, then ask for /in-flight.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from snippets.asgi.by_hand import call, make_scope
from snippets.http2.app import app as answer

running = 0  # /slow requests the app has and has not begun to answer
most = 0  # the largest value of `running` since /in-flight was last asked


# --8<-- [start:app]
async def app(scope: dict, receive: Callable[[], Awaitable[dict]],
              send: Callable[[dict], Awaitable[None]]) -> None:
    global running, most
    if scope["type"] == "http" and scope["path"] == "/in-flight":
        body, most = f"{most}\n".encode(), 0
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
        return
    if scope["type"] != "http" or scope["path"] != "/slow":
        await answer(scope, receive, send)
        return
    running += 1
    most = max(most, running)
    counted = True

    async def send_counted(message: dict) -> None:
        nonlocal counted
        global running
        if counted:  # the answer starts: the client may reuse the connection once it is read
            running, counted = running - 1, False
        await send(message)

    try:
        await answer(scope, receive, send_counted)
    finally:
        if counted:
            running -= 1
# --8<-- [end:app]


async def _in_flight() -> int:
    conversation = await call(app, make_scope(path="/in-flight"), body=[])
    body = b"".join(m.get("body", b"") for d, m in conversation if d == "send" and m["type"] == "http.response.body")
    return int(body)


async def _slow() -> None:
    await call(app, make_scope(path="/slow"), body=[])


async def one_after_another(n: int) -> int:
    """n /slow calls, each awaited before the next; return the app's count."""
    for _ in range(n):
        await _slow()
    return await _in_flight()


async def all_at_once(n: int) -> int:
    """n /slow calls gathered on one event loop; return the app's count."""
    await asyncio.gather(*(_slow() for _ in range(n)))
    return await _in_flight()


if __name__ == "__main__":
    print(f"3 /slow calls one after another: at most {asyncio.run(one_after_another(3))} in flight")
    print(f"3 /slow calls at once:           at most {asyncio.run(all_at_once(3))} in flight")
