"""Reliability of the chat-scale-out lab's reference solution: two uvicorn workers and Redis.

Run: .venv/bin/python benchmarks/chat_reliability.py [--clients N] [--messages M] [--rate R] [--no-kill]

Starts the lab's solution as `wire start chat-scale-out --solution` does (serve.py: a
redis-server of its own and `uvicorn --workers 2`), connects N clients (websockets) to one
room, spread over both workers by the kernel, and has each send M messages, R messages a
second in all. Every client must receive every message exactly once: the script counts
deliveries, duplicates and losses, the delivery latency (send to receive, same clock), and
the servers' memory (VmRSS of each worker and of redis-server, from /proc) with the N
clients connected. Then it kills the worker that holds more clients (SIGKILL): its clients
reconnect, every client sends 2 messages more, and none of those may be lost or doubled.
It exits with 1 if anything was lost or duplicated. All numbers come from this one run on
this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from onthewire import course
from onthewire.labs import workspace
from onthewire.labs.runner import command_for, env_for
from onthewire.serving import Running, ServerDidNotStart, free_port, running

LAB = "chat-scale-out"
WORKERS = 2
ROOM = "bench"
PATIENCE = 30.0
AFTER_KILL = 2  # messages each client sends once the killed worker's clients are back  # seconds to wait, after the last send, for messages still on their way


@dataclass
class _Client:
    user: str
    ws: ClientConnection | None = None
    worker: int | None = None
    got: list[tuple[str, float]] = field(default_factory=list)  # (text, received at)
    joined: asyncio.Event = field(default_factory=asyncio.Event)
    closed: asyncio.Event = field(default_factory=asyncio.Event)

    async def open(self, url: str) -> None:
        self.joined.clear()
        self.closed.clear()
        self.ws = await connect(f"{url}/ws/{ROOM}?user={self.user}", max_queue=None)
        asyncio.create_task(self._read(self.ws))
        await asyncio.wait_for(self.joined.wait(), 30)

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for raw in ws:
                message = json.loads(raw)
                if "text" in message:
                    self.got.append((message["text"], time.perf_counter()))
                elif message.get("event") == "join" and message.get("user") == self.user:
                    self.worker = message["worker"]
                    self.joined.set()
        except ConnectionClosed:
            pass
        finally:
            self.closed.set()


@contextlib.contextmanager
def _serving() -> Iterator[tuple[Running, str]]:
    """The lab's solution, run as `wire start` runs it; yield once both workers are up."""
    lab = course.lab(LAB)
    port = free_port()
    with workspace.assembled(lab, lab.solution) as code, \
            running(command_for(lab, port=port), port=port, cwd=code, env=env_for(code), ready_timeout=30) as server:
        deadline = time.monotonic() + 30
        while server.output().count("Application startup complete") < WORKERS:
            if time.monotonic() > deadline or server.process.poll() is not None:
                raise ServerDidNotStart(f"not every worker started:\n{server.output()}")
            time.sleep(0.02)  # polling the log for each worker's startup line
        family = psutil.Process(server.process.pid).children(recursive=True)
        try:
            yield server, server.url.replace("http://", "ws://")
        finally:
            family += psutil.Process(server.process.pid).children(recursive=True)
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in family) and time.monotonic() < deadline:
        time.sleep(0.01)  # polling the processes' state (the resource tracker ends last)


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _rss_mib(pid: int) -> float:
    """Resident set size of a process, from /proc/PID/status (VmRSS, in kB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _round(clients: list[_Client], messages: int, rate: float, label: str) -> tuple[dict, list[float]]:
    """Each client sends `messages`, `rate` a second in all; count what everyone received."""
    before = [len(c.got) for c in clients]
    sent: dict[str, float] = {}
    interval = 1 / rate
    start = time.perf_counter()
    for k in range(messages):
        for i, client in enumerate(clients):
            due = start + (k * len(clients) + i) * interval
            await asyncio.sleep(max(0.0, due - time.perf_counter()))  # pacing the senders
            text = f"{label} {k} from {client.user}"
            sent[text] = time.perf_counter()
            await client.ws.send(json.dumps({"text": text}))
    expected = len(sent) * len(clients)
    deadline = time.perf_counter() + PATIENCE
    while time.perf_counter() < deadline:
        if sum(len(c.got) - b for c, b in zip(clients, before)) >= expected:
            break
        await asyncio.sleep(0.05)  # polling what has arrived; the deadline bounds a loss
    delivered = duplicates = losses = 0
    latencies = []
    for client, b in zip(clients, before):
        counts = Counter(text for text, _ in client.got[b:] if text in sent)
        delivered += sum(counts.values())
        duplicates += sum(n - 1 for n in counts.values() if n > 1)
        losses += sum(1 for text in sent if counts[text] == 0)
        latencies += [at - sent[text] for text, at in client.got[b:] if text in sent]
    return {"delivered": delivered, "expected": expected, "duplicates": duplicates, "losses": losses}, latencies


def _print_counts(counts: dict, latencies: list[float]) -> None:
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    print(f"  delivered/expected: {counts['delivered']}/{counts['expected']} "
          f"({counts['delivered'] / counts['expected']:.3f})")
    print(f"  duplicates: {counts['duplicates']}, losses: {counts['losses']}")
    print(f"  delivery latency: p50 {q[49] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms")


async def _run(url: str, server: Running, args: argparse.Namespace) -> bool:
    clients = [_Client(f"c{i}") for i in range(args.clients)]
    for client in clients:
        await client.open(url)
    per_worker = Counter(c.worker for c in clients)
    print(f"{args.clients} clients in one room, {' + '.join(map(str, per_worker.values()))} on the "
          f"{WORKERS} workers; {args.messages} messages each, {args.rate:g} a second in all")
    counts, latencies = await _round(clients, args.messages, args.rate, "message")
    _print_counts(counts, latencies)
    redis = [p.pid for p in psutil.Process(server.process.pid).children() if p.name() == "redis-server"]
    memory = [f"worker {_rss_mib(pid):.1f} MiB" for pid in per_worker] + [f"redis-server {_rss_mib(pid):.1f} MiB" for pid in redis]
    print(f"  memory (RSS) with {args.clients} clients connected: " + ", ".join(memory))
    ok = counts["duplicates"] == counts["losses"] == 0
    if args.kill:
        victim = per_worker.most_common(1)[0][0]
        orphans = [c for c in clients if c.worker == victim]
        os.kill(victim, signal.SIGKILL)
        killed = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(c.closed.wait() for c in orphans)), 10)
        for client in orphans:
            while True:  # what a client does when its connection drops: connect again
                try:
                    await client.open(url)
                    break
                except OSError:
                    await asyncio.sleep(0.05)
        took = time.perf_counter() - killed
        survivor = next(pid for pid in per_worker if pid != victim)
        print(f"\nkill one worker (SIGKILL to the one holding {len(orphans)} clients):")
        print(f"  its {len(orphans)} clients were closed and reconnected within {took:.1f} s, "
              f"{sum(c.worker == survivor for c in orphans)} of them to the surviving worker")
        counts, latencies = await _round(clients, AFTER_KILL, args.rate, "after")
        _print_counts(counts, latencies)
        replaced = server.output().count("Application startup complete") > WORKERS
        print(f"  uvicorn started a new worker in place of the killed one: {replaced}")
        ok = ok and counts["duplicates"] == counts["losses"] == 0
    await asyncio.gather(*(c.ws.close() for c in clients))
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--messages", type=int, default=10, help="messages each client sends")
    parser.add_argument("--rate", type=float, default=100, help="messages a second, all clients together")
    parser.add_argument("--no-kill", dest="kill", action="store_false", help="skip killing a worker")
    args = parser.parse_args()
    with _serving() as (server, url):
        try:
            ok = asyncio.run(_run(url, server, args))
        except ConnectionClosed as error:
            tail = "\n".join(l for l in server.output().splitlines() if "INFO" not in l)[-3000:]
            print(f"\nFAILED: a connection closed unexpectedly ({error}); the server said:\n{tail}")
            return 1
    print("\nOK: every message reached every client exactly once" if ok else "\nFAILED: messages were lost or duplicated")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
