"""The checks' chat clients, and the lab's servers started as `wire start` starts them.

The clients are the `websockets` library's (a peer nobody here wrote). Each one reads in a
task of its own and keeps every JSON message it receives, in order; a check then counts.
Whichever worker holds a client is known from the client's own join notice, which carries
the worker's process id.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import Family, async_until, fail, until
from onthewire.serving import Running

WORKERS = 2
TIMEOUT = 5.0  # seconds a check waits for something that should happen (a worker and Redis in between)
STARTED = "Application startup complete"  # uvicorn logs it once per worker, after the lifespan's startup


# --- the server ----------------------------------------------------------------------------

@dataclass
class Chat:
    """The lab's code running as `wire start` runs it: serve.py, its workers and Redis."""

    server: Running
    processes: Family = field(init=False)  # every process serve.py started

    def __post_init__(self) -> None:
        self.processes = Family(self.server.process)

    @property
    def url(self) -> str:
        return self.server.url.replace("http://", "ws://")

    def workers_started(self) -> int:
        return self.server.output().count(STARTED)

    def redis_url(self) -> str:
        """The URL of the Redis server that serve.py started, from the line it printed."""
        found = re.search(r"^Redis: (redis://\S+)", self.server.output(), re.MULTILINE)
        if found is None:
            fail("serve.py did not say which Redis it started (a line 'Redis: redis://...')")
        return found.group(1)


@contextlib.contextmanager
def started(serve: ServeFactory, env: dict[str, str] | None = None) -> Iterator[Chat]:
    """Run the code under test; yield once both workers have finished their startup.

    On leaving, serve.py is stopped as `wire start` stops it, and every process it started
    gets 10 s to end; any that did not are named in `processes.left_behind`, then killed.
    """
    with serve(env=env, ready_timeout=30) as server:
        chat = Chat(server)
        # uvicorn's parent listens before its workers run: wait for both to be ready, or a
        # client would find one worker only.
        both = until(lambda: chat.workers_started() >= WORKERS or server.process.poll() is not None, 30)
        if not both or chat.workers_started() < WORKERS:
            tail = " | ".join(server.output().strip().splitlines()[-3:])
            fail(f"the two workers did not both start; the server said: {tail}")
        chat.processes.note()
        try:
            yield chat
        finally:
            chat.processes.note()
    chat.processes.reap(grace=10)


# --- the clients ---------------------------------------------------------------------------

class Client:
    """One chat client: `await Client.join(url, room, user)`, then `say()`, `received`, `close()`."""

    def __init__(self, url: str, room: str, user: str) -> None:
        self.url, self.room, self.user = url, room, user
        self.received: list[dict] = []
        self.worker: int | None = None  # the pid in this client's own join notice
        self.closed = asyncio.Event()
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task | None = None

    @classmethod
    async def join(cls, url: str, room: str, user: str) -> Client:
        """Connect, and return once this client has heard its own join notice."""
        client = cls(url, room, user)
        client._ws = await asyncio.wait_for(connect(f"{url}/ws/{room}?user={user}", open_timeout=TIMEOUT), TIMEOUT)
        client._reader = asyncio.create_task(client._read())
        own = await async_until(lambda: client._own_join() is not None or client.closed.is_set(), TIMEOUT)
        if not own or client.closed.is_set():
            await client.close()
            fail(f"{user} connected to room {room!r} but did not get its own join notice "
                 f'{{"event": "join", "user": "{user}", "worker": PID}} within {TIMEOUT:g} s')
        client.worker = client._own_join()
        return client

    def _own_join(self) -> int | None:
        for message in self.received:
            if message.get("event") == "join" and message.get("user") == self.user:
                return message.get("worker")
        return None

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for raw in self._ws:
                self.received.append(json.loads(raw))
        except (ConnectionClosed, ValueError):
            pass
        finally:
            self.closed.set()

    async def say(self, text: str) -> None:
        assert self._ws is not None
        await self._ws.send(json.dumps({"text": text}))

    def texts(self) -> list[tuple[str, str]]:
        """(user, text) of every chat message received, in order."""
        return [(m.get("user"), m["text"]) for m in self.received if "text" in m and "event" not in m]

    def notices(self, event: str) -> list[str]:
        return [m.get("user") for m in self.received if m.get("event") == event]

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await self._reader


async def spread(url: str, room: str, per_worker: int, prefix: str = "u", most: int = 40) -> list[Client]:
    """Clients in `room` until each of the two workers holds at least `per_worker` of them.

    The kernel hands each new connection to whichever worker accepts first, so this keeps
    connecting (at most `most` clients) until the split is good enough."""
    clients: list[Client] = []
    while len(clients) < most:
        counts = Counter(c.worker for c in clients)
        if len(counts) >= WORKERS and min(counts.values()) >= per_worker:
            return clients
        clients.append(await Client.join(url, room, f"{prefix}{len(clients)}"))
    await close_all(clients)
    fail(f"{most} clients all landed on one worker ({clients[0].worker}); want some on each of the two")
    raise AssertionError  # not reached


def by_worker(clients: list[Client]) -> dict[int, list[Client]]:
    found: dict[int, list[Client]] = {}
    for client in clients:
        found.setdefault(client.worker, []).append(client)
    return found


async def close_all(clients: list[Client]) -> None:
    await asyncio.gather(*(c.close() for c in clients))


def problems(clients: list[Client], sent: list[tuple[str, str]]) -> list[str]:
    """What went wrong with `sent` ((user, text) pairs) at each client: lost, duplicated, reordered."""
    found = []
    for client in clients:
        got = Counter(message for message in client.texts() if message in set(sent))
        lost = [m for m in sent if got[m] == 0]
        doubled = [m for m in sent if got[m] > 1]
        if lost:
            found.append(f"{client.user} (worker {client.worker}) missed {len(lost)} of {len(sent)} messages, "
                         f"first {lost[0][1]!r} from {lost[0][0]}")
        if doubled:
            found.append(f"{client.user} (worker {client.worker}) got {len(doubled)} of {len(sent)} messages "
                         f"more than once, first {doubled[0][1]!r} ({got[doubled[0]]} times)")
    return found


async def settle(clients: list[Client], sent: list[tuple[str, str]]) -> None:
    """Return once everything `sent` ((user, text) pairs, by clients among `clients`) that will
    ever reach `clients` has reached them, without waiting for what never comes.

    Each worker's subscriber delivers a room's messages in the order Redis published them.
    So: wait until each sender has its own messages back (they have been published), then
    have one client on each worker of each room say a marker, and wait until every client
    has its own worker's marker. What was published before a marker came before it; a
    message a client has not got by then is lost, not late."""
    senders = {c.user: c for c in clients}
    mine = {(user, text) for user, text in sent}
    await async_until(lambda: all((user, text) in senders[user].texts() for user, text in mine if user in senders),
                      TIMEOUT)
    speakers: dict[tuple[str, int | None], Client] = {}
    for client in clients:
        speakers.setdefault((client.room, client.worker), client)
    for (room, worker), speaker in speakers.items():
        await speaker.say(_marker(room, worker))
    await async_until(lambda: all((speakers[(c.room, c.worker)].user, _marker(c.room, c.worker)) in c.texts()
                                  for c in clients), TIMEOUT)


def _marker(room: str, worker: int | None) -> str:
    return f"(the checks: end of round in {room} on worker {worker})"
