"""Join and leave notices reach every client in the room, on both workers."""

from __future__ import annotations

import asyncio
from collections import Counter

from chat_checks import TIMEOUT, Client, by_worker, close_all, settle, spread
from onthewire.labs.kit import async_until, fail


def test_join_and_leave_notices(chat) -> None:
    """every client in the room, on either worker, hears each join and each leave once

    Look at: the notices chat() sends in app.py: they go through publish() like messages.
    """

    async def run() -> None:
        clients = await spread(chat.url, "notices", per_worker=3)
        newcomer = None
        try:
            # The newcomer hears its own notice once it is published (Client.join waits for it).
            newcomer = await Client.join(chat.url, "notices", "newcomer")
            await settle(clients + [newcomer], [])
            if not all("newcomer" in c.notices("join") for c in clients):
                missed = [c for c in clients if "newcomer" not in c.notices("join")]
                fail(f"{len(missed)} of {len(clients)} clients did not hear that newcomer joined, "
                     f"such as {missed[0].user} (worker {missed[0].worker})")
            # One client leaves from each worker; the rest must hear both.
            leaving = [mine[0] for mine in by_worker(clients).values()]
            staying = [c for c in clients if c not in leaving] + [newcomer]
            for client in leaving:
                await client.close()
            names = {c.user for c in leaving}
            # A leave notice is published once some client on the leaver's own worker has it;
            # then settle() brings whatever else is on its way, copies sent twice included.
            neighbours = {c.user: [s for s in staying if s.worker == c.worker] for c in leaving}
            await async_until(lambda: all(any(name in s.notices("leave") for s in neighbours[name]) for name in names),
                              TIMEOUT)
            await settle(staying, [])
            for client in staying:
                heard = Counter(client.notices("leave"))
                for name in sorted(names):
                    if heard[name] != 1:
                        fail(f"{client.user} (worker {client.worker}) heard {heard[name]} leave notices "
                             f"for {name}, who left from worker {next(c.worker for c in leaving if c.user == name)}; want 1")
        finally:
            await close_all(clients + ([newcomer] if newcomer else []))

    asyncio.run(run())
