"""Stopping: the workers and Redis stop, and nothing is left behind."""

from __future__ import annotations

import asyncio
import contextlib

from chat_checks import Chat, close_all, spread, started
from onthewire.labs.kit import fail


def test_stopping_leaves_nothing_behind(serve, record_property) -> None:
    """stops within 5 s of SIGTERM with clients connected, and leaves no worker or redis-server behind

    Look at: the end of lifespan() in app.py: cancel the subscriber task and close both Redis connections.
    """

    async def run() -> tuple[Chat, bool]:
        with contextlib.ExitStack() as stack:
            chat = stack.enter_context(started(serve))
            clients = await spread(chat.url, "lobby", per_worker=1)
            # Stop serve.py as `wire check` and `wire start` do, while these clients are
            # connected, and keep their event loop running meanwhile.
            await asyncio.to_thread(stack.close)
            closed = all(c.closed.is_set() for c in clients)
            await close_all(clients)
        return chat, closed

    chat, closed = asyncio.run(run())
    code = chat.server.process.returncode
    record_property("measured", f"serve.py exited with code {code}; of the {len(chat.processes.members)} processes "
                                f"it started, {len(chat.processes.left_behind)} left behind")
    if chat.processes.left_behind:
        fail(f"still running 10 s after the stop: {', '.join(chat.processes.left_behind)}")
    if code != 0:
        fail(f"serve.py did not stop by itself within 5 s of SIGTERM (exit code {code}): "
             "was a worker still waiting for something at shutdown?")
    if not closed:
        fail("the clients' connections were still open once the server had stopped")
