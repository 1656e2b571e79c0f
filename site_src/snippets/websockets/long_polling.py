"""Long polling: an ordinary GET that the server holds open until there is something new, or
until its hold time runs out, and answers either way; the client asks again at once,
saying what it already has (`?after=ID`).

Every answer is a complete HTTP response, so every proxy, cache and firewall that handles
HTTP handles it; the price is a request (and its headers) per message and per hold time.

Run it:  python long_polling.py
Try:     post two messages between two polls. Are both delivered, and in one answer or two?
"""

from __future__ import annotations

import asyncio
import threading
import time

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from onthewire.serving import serving_asgi

HOLD = 1.0  # seconds the server holds a poll before it answers "nothing new"


# --8<-- [start:server]
class Board:
    def __init__(self) -> None:
        self.messages: list[str] = []          # message i has id i + 1
        self.changed = asyncio.Condition()
        self.waiting = 0                       # polls being held right now
        self.ran_out = 0                       # polls answered because their hold ran out


def make_app() -> Starlette:
    board = Board()

    async def poll(request: Request) -> JSONResponse:
        after = int(request.query_params.get("after", "0"))
        async with board.changed:
            board.waiting += 1
            try:
                await asyncio.wait_for(board.changed.wait_for(lambda: len(board.messages) > after), HOLD)
            except asyncio.TimeoutError:       # (TimeoutError itself since Python 3.11)
                board.ran_out += 1             # nothing new: answer anyway
            finally:
                board.waiting -= 1
        return JSONResponse({"messages": board.messages[after:], "next": len(board.messages)})

    async def post(request: Request) -> JSONResponse:
        async with board.changed:
            board.messages.append((await request.body()).decode())
            board.changed.notify_all()         # release every held poll
        return JSONResponse({"id": len(board.messages)})

    app = Starlette(routes=[Route("/poll", poll), Route("/post", post, methods=["POST"])])
    app.state.board = board
    return app
# --8<-- [end:server]


def timed_poll(url: str, after: int) -> tuple[dict, float]:
    started = time.monotonic()
    answer = httpx.get(f"{url}/poll", params={"after": after}, timeout=HOLD + 5).json()
    return answer, time.monotonic() - started


def post_when_someone_waits(url: str, board: Board, text: str) -> threading.Thread:
    def run() -> None:
        deadline = time.monotonic() + 5
        while board.waiting == 0 and time.monotonic() < deadline:
            time.sleep(0.005)  # polling the server's own count of held polls
        httpx.post(f"{url}/post", content=text, timeout=5)
    thread = threading.Thread(target=run)
    thread.start()
    return thread


def main() -> None:
    app = make_app()
    board = app.state.board
    with serving_asgi(app) as url:
        answer, took = timed_poll(url, after=0)
        print("poll after=0, nobody posts")
        print(f"  answer {answer}, held for the whole {HOLD:g} s: {board.ran_out == 1 and took >= HOLD * 0.9}")
        poster = post_when_someone_waits(url, board, "hello")
        answer, _ = timed_poll(url, after=answer["next"])
        poster.join()
        print("poll after=0, someone posts 'hello' meanwhile")
        print(f"  answer {answer}, released by the post, not by the hold: {board.ran_out == 1}")
        answer, _ = timed_poll(url, after=0)
        print("poll after=0 again, from a new tab")
        print(f"  answer {answer}, without waiting for the hold: {board.ran_out == 1}")


if __name__ == "__main__":
    main()
