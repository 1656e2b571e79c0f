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
from collections.abc import Iterator
from dataclasses import dataclass

import psutil
from websockets.asyncio.client import connect

from onthewire.redis_server import serving_redis
from onthewire.serving import ServerDidNotStart, free_port, python, running

WORKERS = 2


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


async def measure_async(url: str, clients: int = 20, messages: int = 10, patience: float = 2.0) -> Measured:
    """`measure`, for code already in an event loop (a notebook: `await measure_async(url)`)."""
    async with contextlib.AsyncExitStack() as stack:
        sockets = [await stack.enter_async_context(connect(url)) for _ in range(clients)]
        worker_of = [json.loads(await ws.recv())["worker"] for ws in sockets]
        workers = Counter(worker_of)
        got: list[set[str]] = [set() for _ in sockets]

        async def read(i: int) -> None:
            async for text in sockets[i]:
                got[i].add(text)

        readers = [asyncio.create_task(read(i)) for i in range(clients)]
        sent = [f"message {k} from client {k % clients}" for k in range(messages)]
        for k, text in enumerate(sent):
            await sockets[k % clients].send(text)
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline and not all(set(sent) <= g for g in got):
            await asyncio.sleep(0.01)  # polling what has arrived; the deadline bounds a loss
        for reader in readers:
            reader.cancel()
        reached = [sum(text in g for g in got) / clients for text in sent]
        share = [workers[worker_of[k % clients]] / clients for k in range(messages)]
    return Measured(sorted(workers.values(), reverse=True), reached, share)


def measure(url: str, clients: int = 20, messages: int = 10, patience: float = 2.0) -> Measured:
    """Connect `clients`, send `messages` (from different clients), wait at most `patience`
    seconds for every client to get every message, and count."""
    return asyncio.run(measure_async(url, clients, messages, patience))


if __name__ == "__main__":
    with serving_chat("memory") as url:
        memory = measure(url, patience=1.0)  # a lost message is waited for this long
    with serving_redis() as redis_url, serving_chat(redis_url) as url:
        redis = measure(url)
    print(f"in-memory rooms, {WORKERS} workers: every message reached every client: {min(memory.reached) == 1}")
    print(f"Redis pub/sub,   {WORKERS} workers: every message reached every client: {min(redis.reached) == 1}")
