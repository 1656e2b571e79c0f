"""what_blocks: sync calls (sleep, CPU work, a sync driver, sync HTTP clients) stall the event
loop for their whole duration; awaited calls and calls in a worker thread do not."""

from __future__ import annotations

import asyncio
import importlib
import ssl
import time

import httpx

from onthewire.serving import serving_asgi

what = importlib.import_module("snippets.async.what_blocks")
BLOCKING = {"time.sleep(0.2)", "a busy loop for 0.2 s (CPU work)", "sqlite3: a slow query (a sync driver)",
            "requests.get(upstream)", "httpx.Client().get(upstream)", "httpx.AsyncClient(): creating one"}


def test_each_call_blocks_or_frees_the_loop_as_the_page_says() -> None:
    with serving_asgi(what.upstream) as url:
        results = asyncio.run(what.main(url))
    for label, (seconds, stall) in results.items():
        assert what.blocked(seconds, stall) == (label in BLOCKING), (label, seconds, stall)
        if label not in BLOCKING:
            # Well under blocked()'s half: a CPU-bound thread still takes turns on the GIL
            # with the loop, and a busy machine stretches those turns.
            assert seconds >= what.WAIT and stall < seconds / 3, (label, seconds, stall)
    assert BLOCKING < set(results)


def test_creating_a_client_costs_mostly_its_tls_context() -> None:
    def cost(make) -> float:
        started = time.perf_counter()
        for _ in range(5):
            make()
        return time.perf_counter() - started

    context = ssl.create_default_context()
    httpx.AsyncClient()  # the first one also imports what it needs
    assert cost(httpx.AsyncClient) > 10 * cost(lambda: httpx.AsyncClient(verify=context))


def test_the_page_output(snippet_output) -> None:
    lines = snippet_output("what_blocks.py").splitlines()
    verdicts = {line.split("  ")[0].strip(): line.rsplit("  ", 1)[1] for line in lines[1:]}
    assert {label for label, verdict in verdicts.items() if verdict == "BLOCKED"} == BLOCKING
