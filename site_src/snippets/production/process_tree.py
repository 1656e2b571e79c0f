"""Gunicorn's arbiter at work: a master process, its workers, and a worker that dies.

Gunicorn starts one process, the master (its docs call it the arbiter), which opens the
listening socket and forks the workers; each worker accepts connections on that shared
socket and runs the app. The master serves no request itself. It watches: a worker that
dies is replaced, and signals resize the pool. Here the process tree is read from /proc (what
`ps` does), and so is who holds the listening socket; then a worker is killed with SIGKILL,
as the kernel's out-of-memory killer would, and the master is asked for one more worker
with SIGTTIN.

Process IDs change on every run: they are shown as M (the master) and W1, W2... (workers,
in the order they appeared).

Run it:  python process_tree.py
Try:     send SIGTTOU to the master (one worker fewer); SIGHUP (every worker replaced,
         the new ones loading the app anew unless --preload: see hup_reload.py); SIGKILL
         to the master, and see the workers stop by themselves soon after.
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

from snippets.production.servers import gunicorn

WORKERS = 2


# --8<-- [start:proc]
def parent_of(pid: int) -> int:
    # /proc/PID/stat: "pid (command) state ppid ..."; the command may contain spaces.
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if parent_of(int(entry.name)) == pid:
                    found.append(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):
                pass  # a process that ended while we looked
    return sorted(found)


def listening_socket(port: int) -> int:
    """The inode of the socket listening on 127.0.0.1:port, from the kernel's TCP table."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, state, inode = fields[1], fields[3], int(fields[9])
        if local == f"0100007F:{port:04X}" and state == "0A":  # 127.0.0.1 (little-endian), LISTEN
            return inode
    raise LookupError(f"nothing listens on 127.0.0.1:{port}")


def holders(inode: int, pids: list[int]) -> list[int]:
    """Which of `pids` have the socket among their open files (/proc/PID/fd/*)."""
    return [pid for pid in pids
            if any(os.readlink(fd) == f"socket:[{inode}]" for fd in Path(f"/proc/{pid}/fd").iterdir())]
# --8<-- [end:proc]


def wait_for_workers(master: int, count: int, without: set[int] = frozenset()) -> list[int]:
    """Poll until the master has `count` children, none of them in `without`."""
    deadline = time.monotonic() + 15
    while True:
        workers = children_of(master)
        if len(workers) == count and not set(workers) & set(without):
            return workers
        if time.monotonic() > deadline:
            raise RuntimeError(f"the master has workers {workers}, expected {count}")
        time.sleep(0.02)  # polling the process table


class Names:
    """Stable names for PIDs: M for the master, W1, W2... for workers in order of appearance."""

    def __init__(self, master: int) -> None:
        self.names = {master: "M"}

    def __call__(self, pid: int) -> str:
        if pid not in self.names:
            self.names[pid] = f"W{len(self.names)}"
        return self.names[pid]

    def ordered(self, pids: list[int]) -> list[str]:
        """Names of `pids`: M first, then W1, W2... in order of appearance."""
        return sorted(map(self, pids), key=lambda n: (n != "M", int(n[1:] or 0)))

    def in_text(self, text: str) -> str:
        return re.sub(r"\b\d{2,}\b", lambda m: self.names.get(int(m[0]), m[0]), text)


def tree(master: int, name: Names) -> list[str]:
    assert parent_of(master) == os.getpid()
    workers = sorted(children_of(master), key=lambda pid: int(name(pid)[1:]))  # W1, W2, ...
    rows = [f"  {name(master)}  (parent: this script)"]
    rows += [f"  {'└─' if pid == workers[-1] else '├─'} {name(pid)}  (parent: {name(parent_of(pid))})"
             for pid in workers]
    return rows


def logged_boot(server, pids: list[int]) -> None:
    """Poll until each of `pids` has logged its boot (a fork is in /proc before it logs)."""
    deadline = time.monotonic() + 15
    while not all(f"Booting worker with pid: {pid}" in server.output() for pid in pids):
        if time.monotonic() > deadline:
            raise RuntimeError(f"no boot line for {pids}:\n{server.output()}")
        time.sleep(0.02)


def arbiter_lines(log: str, name: Names, since: int) -> list[str]:
    """The log lines from character `since` on, without their timestamps."""
    lines = []
    for line in log[since:].splitlines():
        match = re.match(r"\[[^]]+\] \[(\d+)\] \[(\w+)\] (.*)", line)
        if match:
            lines.append(f"  [{name(int(match[1]))}] [{match[2]}] {name.in_text(match[3])}")
    return lines


# --8<-- [start:demo]
def demo() -> dict:
    with gunicorn("--workers", str(WORKERS)) as server:
        master = server.process.pid
        name = Names(master)
        first = wait_for_workers(master, WORKERS)
        for pid in first:
            name(pid)  # W1, W2 in PID order
        before = tree(master, name)
        shared = holders(listening_socket(server.port), [master, *first])

        victim = first[0]
        mark = len(server.output())
        os.kill(victim, signal.SIGKILL)  # as the out-of-memory killer would
        after_kill = wait_for_workers(master, WORKERS, without={victim})
        logged_boot(server, after_kill)
        kill_log = arbiter_lines(server.output(), name, mark)
        replaced = tree(master, name)
        shared_after = holders(listening_socket(server.port), [master, *after_kill])

        mark = len(server.output())
        os.kill(master, signal.SIGTTIN)  # "one more worker, please"
        grown = wait_for_workers(master, WORKERS + 1)
        logged_boot(server, grown)
        ttin_log = arbiter_lines(server.output(), name, mark)
        return {"before": before, "shared": name.ordered(shared), "shared_after": name.ordered(shared_after), "kill_log": kill_log, "replaced": replaced, "ttin_log": ttin_log,
                "first": first, "after_kill": after_kill, "grown": grown, "victim": victim,
                "master_alive": Path(f"/proc/{master}").exists()}
# --8<-- [end:demo]


if __name__ == "__main__":
    got = demo()
    print(f"gunicorn --workers {WORKERS}: the process tree")
    print("\n".join(got["before"]))
    print(f"the listening socket is open in: {', '.join(got['shared'])}")
    print("kill -KILL W1; the log says:")
    print("\n".join(got["kill_log"]))
    print("the process tree again:")
    print("\n".join(got["replaced"]))
    print(f"the listening socket is open in: {', '.join(got['shared_after'])}")
    print("kill -TTIN M; the log says:")
    print("\n".join(got["ttin_log"]))
