"""Rooms are apart: what is said in one room is heard in that room only."""

from __future__ import annotations

import asyncio

from chat_checks import close_all, problems, settle, spread
from onthewire.labs.kit import fail


def test_rooms_are_isolated(chat) -> None:
    """a room's messages and notices reach the clients of that room only, on both workers

    Look at: the channel a message is published to, and the room forward() hands it on to.
    """

    async def run() -> None:
        red = await spread(chat.url, "red", per_worker=2, prefix="red")
        blue = await spread(chat.url, "blue", per_worker=2, prefix="blue")
        try:
            await red[0].say("in red")
            await blue[0].say("in blue")
            await settle(red + blue, [(red[0].user, "in red"), (blue[0].user, "in blue")])
            for room, members, other in (("red", red, "blue"), ("blue", blue, "red")):
                found = problems(members, [(members[0].user, f"in {room}")])
                if found:
                    fail(f"in room {room}: {found[0]}")
                for client in members:
                    strays = [m for m in client.received if str(m.get("user", "")).startswith(other)]
                    if strays:
                        fail(f"{client.user} in room {room} got {strays[0]}, which belongs to room {other}")
        finally:
            await close_all(red + blue)

    asyncio.run(run())
