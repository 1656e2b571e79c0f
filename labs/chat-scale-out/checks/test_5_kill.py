"""A worker dies (SIGKILL): its clients reconnect, and the chat goes on without a loss."""

from __future__ import annotations

import asyncio
import os
import signal
import time

from chat_checks import TIMEOUT, Client, by_worker, close_all, problems, settle, spread
from onthewire.labs.kit import async_until, fail

RECONNECT_FOR = 15.0  # seconds a killed worker's client keeps trying to reconnect
REPLACED_WITHIN = 20.0  # seconds: uvicorn looks at its workers twice a second, then starts a new one


async def _reconnect(old: Client) -> Client:
    """What a real client does when its connection drops: connect again until it works."""
    deadline = time.monotonic() + RECONNECT_FOR
    while True:
        try:
            return await Client.join(old.url, old.room, old.user)
        except (OSError, asyncio.TimeoutError):
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)  # a client's retry interval, not a readiness guess


async def _chat_round(clients: list[Client], label: str) -> None:
    """Each client says one thing; every client must get each exactly once."""
    sent = []
    for client in clients:
        text = f"{label} from {client.user}"
        await client.say(text)
        sent.append((client.user, text))
    await settle(clients, sent)
    found = problems(clients, sent)
    if found:
        fail(f"{label}: {len(found)} problems, such as: {found[0]}")


def test_clients_of_a_killed_worker_reconnect(chat, record_property) -> None:
    """a worker killed with SIGKILL: its clients are closed and reconnect, the others chat on, nothing sent after is lost

    uvicorn starts a new worker in its place; new clients go on joining until one lands on it,
    and then every client, on the old worker or the new, must get every message once.

    Look at: lifespan() in app.py: it runs again in the new worker, which must subscribe before its first client.
    """

    async def run() -> None:
        clients = await spread(chat.url, "lobby", per_worker=3)
        reconnected: list[Client] = []
        newer: list[Client] = []
        try:
            # First, every client gets every message with both workers up.
            await _chat_round(clients, "before the kill")
            workers = by_worker(clients)
            victim, survivor = sorted(workers, key=lambda pid: -len(workers[pid]))
            if victim not in chat.processes.members:
                fail(f"the join notices name worker {victim}, which is not a process serve.py started")
            os.kill(victim, signal.SIGKILL)
            killed_at = time.monotonic()
            orphans, others = workers[victim], workers[survivor]
            if not await async_until(lambda: all(c.closed.is_set() for c in orphans), TIMEOUT):
                fail(f"the clients of the killed worker {victim} were not closed within 5 s")
            if any(c.closed.is_set() for c in others):
                fail(f"killing worker {victim} also closed clients of worker {survivor}")
            # The others carry on while the killed worker's clients are away.
            await _chat_round(others, "while one worker is down")
            reconnected = [await _reconnect(c) for c in orphans]
            took = time.monotonic() - killed_at
            landed = by_worker(reconnected)
            # uvicorn's supervisor notices the dead worker and starts another one.
            if not await async_until(lambda: chat.workers_started() > 2, REPLACED_WITHIN):
                fail(f"uvicorn did not start a worker in place of the killed one within {REPLACED_WITHIN:g} s")
            replaced = time.monotonic() - killed_at
            while not any(c.worker not in (victim, survivor) for c in newer):  # the kernel picks the worker
                if len(newer) >= 40:
                    fail("40 new clients all went to the surviving worker; none to the new one")
                newer.append(await Client.join(chat.url, "lobby", f"new{len(newer)}"))
            chat.processes.note()
            if not {c.worker for c in newer} <= set(chat.processes.members):
                fail(f"the join notices name workers {sorted({c.worker for c in newer})}, not processes serve.py started")
            # Everyone, old, reconnected and new, on either worker: every message, once.
            await _chat_round(others + reconnected + newer, "after reconnecting")
            record_property("measured", f"{len(orphans)} clients of the killed worker reconnected within {took:.1f} s, "
                                        f"{len(landed.get(survivor, []))} of them to the surviving worker; "
                                        f"uvicorn's new worker was serving {replaced:.1f} s after the kill")
        finally:
            await close_all(clients + reconnected + newer)

    asyncio.run(run())
