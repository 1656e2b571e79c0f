"""Stopping: the workers and Redis stop, and nothing is left behind."""

from __future__ import annotations

import asyncio
import contextlib

from chat_checks import Chat, close_all, spread, started
from onthewire.labs.kit import fail, wait_for_exit

# Not a speed limit: a worker whose shutdown waits for ever keeps serve.py up for ever, and
# the check gives up after this many seconds.
STOP_WAIT = 10.0


def test_stopping_leaves_nothing_behind(serve, record_property) -> None:
    """stops when asked (SIGTERM) with clients connected, and leaves no worker or redis-server behind

    Look at: the end of lifespan() in app.py: cancel the subscriber task and close both Redis connections.
    """

    async def run() -> tuple[Chat, int | None, bool]:
        with contextlib.ExitStack() as stack:
            chat = stack.enter_context(started(serve))
            clients = await spread(chat.url, "lobby", per_worker=1)
            # Stop serve.py as `wire start` does on Ctrl-C, while these clients are connected,
            # and keep their event loop running meanwhile.
            chat.server.process.terminate()
            code = await asyncio.to_thread(wait_for_exit, chat.server, STOP_WAIT)
            await asyncio.to_thread(stack.close)
            closed = all(c.closed.is_set() for c in clients)
            await close_all(clients)
        return chat, code, closed

    chat, code, closed = asyncio.run(run())
    record_property("measured", f"serve.py exited with code {code}; of the {len(chat.processes.members)} processes "
                                f"it started, {len(chat.processes.left_behind)} left behind")
    if code is None:
        fail(f"serve.py was still running {STOP_WAIT:g} s after SIGTERM: was a worker waiting for something "
             "at shutdown?")
    if chat.processes.left_behind:
        fail(f"still running after serve.py had stopped: {', '.join(chat.processes.left_behind)}")
    if code != 0:
        fail(f"serve.py exited with code {code} after SIGTERM, not 0")
    if not closed:
        fail("the clients' connections were still open once the server had stopped")
