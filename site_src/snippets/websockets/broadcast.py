"""Measure a broadcast: start the chat of broadcast_app.py under `uvicorn --workers 2`,
connect clients, let some of them talk, and count, for each message, the fraction of
clients that got it.

Used by the broadcast notebook and its test. Run it:  python broadcast.py
(it needs redis-server installed: it starts one of its own on a free port)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import psutil
from websockets.asyncio.client import connect

from onthewire.redis_server import serving_redis
from onthewire.serving import ServerDidNotStart, free_port, python, running

WORKERS = 2
CLIENTS = 20
MESSAGES = 10  # each from another client


@contextlib.contextmanager
def serving_chat(broker: str, workers: int = WORKERS) -> Iterator[str]:
    """uvicorn --workers N on broadcast_app; yield its ws:// URL once every worker is up."""
    port = free_port()
    command = [python(), "-m", "uvicorn", "snippets.websockets.broadcast_app:app",
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with running(command, port=port, env={"CHAT_BROKER": broker}) as server:
        deadline = time.monotonic() + 30
        # The parent listens before its workers run: connections made now would all go to
        # whichever worker starts first.
        while server.output().count("Application startup complete") < workers:
            if time.monotonic() > deadline or server.process.poll() is not None:
                raise ServerDidNotStart(f"not every worker started:\n{server.output()}")
            time.sleep(0.02)  # polling the log for each worker's start-up line
        family = psutil.Process(server.process.pid).children(recursive=True)
        yield server.url.replace("http://", "ws://") + "/chat"
    # multiprocessing's resource tracker outlives uvicorn's parent by a moment; once it has
    # exited it may stay a zombie until init reaps it, which is harmless.
    deadline = time.monotonic() + 5
    while any(_alive(process) for process in family) and time.monotonic() < deadline:
        time.sleep(0.01)  # polling the processes' state


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@dataclass
class Measured:
    clients_per_worker: list[int]  # largest first
    reached: list[float]  # for each message, the fraction of clients that got it
    senders_share: list[float]  # for each message, the fraction of clients on its sender's worker

    @property
    def mean(self) -> float:
        return sum(self.reached) / len(self.reached)


async def _until(condition: Callable[[], bool], deadline: float) -> None:
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("a message every client of its sender's worker gets never came")
        await asyncio.sleep(0.01)  # polling what has arrived; the deadline only bounds a failure


async def measure_async(url: str, clients: int = CLIENTS, messages: int = MESSAGES, patience: float = 30.0) -> Measured:
    """`measure`, for code already in an event loop (a notebook: `await measure_async(url)`)."""
    async with contextlib.AsyncExitStack() as stack:
        sockets = [await stack.enter_async_context(connect(url)) for _ in range(clients)]
        worker_of = [json.loads(await ws.recv())["worker"] for ws in sockets]
        workers = Counter(worker_of)
        got: list[set[str]] = [set() for _ in sockets]
        deadline = time.monotonic() + patience

        async def read(i: int) -> None:
            async for text in sockets[i]:
                got[i].add(text)

        async def say(sender: int, text: str) -> None:
            await sockets[sender].send(text)
            # Whatever the room, every client of the sender's worker gets it (the sender too):
            # wait for those before the next message, so that messages go out in order.
            mates = [i for i in range(clients) if worker_of[i] == worker_of[sender]]
            await _until(lambda: all(text in got[i] for i in mates), deadline)

        readers = [asyncio.create_task(read(i)) for i in range(clients)]
        sent = [f"message {k} from client {k % clients}" for k in range(messages)]
        for k, text in enumerate(sent):
            await say(k % clients, text)
        # Then a last word from a client of each worker. Through Redis, each worker's one
        # subscriber delivers messages in the order they were published, so once a worker's
        # clients have its last word they have everything published before it: what has not
        # arrived by then is not coming. (In memory, nothing crosses to another worker at all.)
        for worker in workers:
            await say(worker_of.index(worker), f"last word from worker {worker}")
        for reader in readers:
            reader.cancel()
        reached = [sum(text in g for g in got) / clients for text in sent]
        share = [workers[worker_of[k % clients]] / clients for k in range(messages)]
    return Measured(sorted(workers.values(), reverse=True), reached, share)


def measure(url: str, clients: int = CLIENTS, messages: int = MESSAGES, patience: float = 30.0) -> Measured:
    """Connect `clients`, send `messages` (from different clients, one after another), and
    count who got each one. `patience` bounds only a failure: the count never waits for
    silence, it waits for messages that must arrive."""
    return asyncio.run(measure_async(url, clients, messages, patience))


if __name__ == "__main__":
    with serving_chat("memory") as url:
        memory = measure(url)
    with serving_redis() as redis_url, serving_chat(redis_url) as url:
        redis = measure(url)
    print(f"{CLIENTS} clients, {MESSAGES} messages, each from another client")
    print(f"in-memory rooms, {WORKERS} workers: every message reached every client: {min(memory.reached) == 1}")
    print(f"Redis pub/sub,   {WORKERS} workers: every message reached every client: {min(redis.reached) == 1}")
