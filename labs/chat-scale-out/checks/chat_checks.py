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
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import psutil
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from onthewire.labs.harness import ServeFactory
from onthewire.serving import Running

WORKERS = 2
TIMEOUT = 5.0  # seconds a check waits for something that should happen
STARTED = "Application startup complete"  # uvicorn logs it once per worker, after the lifespan's startup


# --- the server ----------------------------------------------------------------------------

@dataclass
class Chat:
    """The lab's code running as `wire start` runs it: serve.py, its workers and Redis."""

    server: Running
    family: dict[int, psutil.Process] = field(default_factory=dict)  # every process serve.py started
    left_behind: list[str] = field(default_factory=list)  # filled in once stopped

    @property
    def url(self) -> str:
        return self.server.url.replace("http://", "ws://")

    def workers_started(self) -> int:
        return self.server.output().count(STARTED)

    def note_family(self) -> None:
        with contextlib.suppress(psutil.NoSuchProcess):
            for process in psutil.Process(self.server.process.pid).children(recursive=True):
                self.family.setdefault(process.pid, process)


@contextlib.contextmanager
def started(serve: ServeFactory, env: dict[str, str] | None = None) -> Iterator[Chat]:
    """Run the code under test; yield once both workers have finished their startup.

    On leaving, serve.py is stopped as `wire start` stops it, and every process it started
    gets 10 s to end; any that did not are named in `left_behind`, then killed.
    """
    with serve(env=env, ready_timeout=30) as server:
        chat = Chat(server)
        # uvicorn's parent listens before its workers run: wait for both to be ready, or a
        # client would find one worker only.
        deadline = time.monotonic() + 30
        while chat.workers_started() < WORKERS:
            if server.process.poll() is not None or time.monotonic() > deadline:
                tail = " | ".join(server.output().strip().splitlines()[-3:])
                pytest.fail(f"the two workers did not both start; the server said: {tail}", pytrace=False)
            time.sleep(0.02)  # polling the log for each worker's startup line
        chat.note_family()
        try:
            yield chat
        finally:
            chat.note_family()
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in chat.family.values()) and time.monotonic() < deadline:
        time.sleep(0.02)  # polling the processes' state
    for process in chat.family.values():
        if _alive(process):
            with contextlib.suppress(psutil.Error):
                chat.left_behind.append(" ".join(process.cmdline())[:80])
                process.kill()
                process.wait(5)


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


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
        own = await until(lambda: client._own_join() is not None or client.closed.is_set())
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


async def until(condition: Callable[[], bool], timeout: float = TIMEOUT) -> bool:
    """Poll `condition` until it holds (True) or `timeout` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.01)  # polling what has arrived; the deadline bounds a loss
    return True


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


def fail(message: str) -> None:
    pytest.fail(message, pytrace=False)
