"""backpressure: send() stops returning while the client reads nothing, and goes on once it reads."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable

import pytest
import uvloop

from snippets.websockets import backpressure


def test_a_slow_reader_holds_the_sender_back() -> None:
    stalled, resumed = backpressure.measure(read_mib=4)
    assert 0 < stalled < 16 * backpressure.MiB
    assert resumed >= 4 * backpressure.MiB - stalled  # what the client read beyond the stalled bytes


@pytest.mark.parametrize("new_loop", [asyncio.new_event_loop, uvloop.new_event_loop], ids=["asyncio", "uvloop"])
def test_the_transports_high_water_mark_is_64_kib(new_loop: Callable[[], asyncio.AbstractEventLoop]) -> None:
    # The page: uvicorn's transport pauses writers above 64 KiB, the default of either loop
    # uvicorn may run on (uvloop when it is installed, as here; asyncio otherwise).
    async def limits() -> tuple[int, int]:
        ours, theirs = socket.socketpair()  # a connected stream socket, no server needed
        with theirs:
            _, writer = await asyncio.open_connection(sock=ours)
            try:
                return writer.transport.get_write_buffer_limits()
            finally:
                writer.close()
                await writer.wait_closed()

    loop = new_loop()
    try:
        _, high = loop.run_until_complete(limits())
    finally:
        loop.close()
    assert high == 64 * 1024
