"""what_blocks: sync calls (sleep, CPU work, a sync driver, sync HTTP clients, creating an
httpx client) let not one heartbeat tick in while they run; awaited calls and calls in a
worker thread let ticks in. Counts, not times: a loaded machine makes ticks late, it cannot
run one inside a call that holds the loop."""

from __future__ import annotations

import asyncio
import importlib
import shutil
import ssl
import sys
from collections.abc import Callable

import certifi
import httpx
import pytest

from onthewire.serving import serving_asgi

what = importlib.import_module("snippets.async.what_blocks")
BLOCKING = {"time.sleep(0.2)", "a busy loop for 0.2 s (CPU work)", "sqlite3: a slow query (a sync driver)",
            "requests.get(upstream)", "httpx.Client().get(upstream)", "httpx.AsyncClient(): creating one"}


def test_each_call_blocks_or_frees_the_loop_as_the_page_says() -> None:
    with serving_asgi(what.upstream) as url:
        results = asyncio.run(what.main(url))
    for label, (seconds, ticks) in results.items():
        if label in BLOCKING:
            assert ticks == 0, (label, seconds, ticks)  # the loop ran nothing else meanwhile
        else:
            assert ticks >= 1, (label, seconds, ticks)
            assert seconds >= what.WAIT, (label, seconds)  # it did wait (a lower bound only)
    assert BLOCKING < set(results)


def test_even_an_instant_sync_call_holds_the_loop() -> None:
    async def nothing() -> None:
        pass

    async def one_tick() -> None:
        await asyncio.sleep(what.TICK * 3)

    assert asyncio.run(what.ticks_during(nothing))[1] == 0
    assert asyncio.run(what.ticks_during(one_tick))[1] >= 1  # the heartbeat's sleep ends first


def _tls_setup(make: Callable[[], object]) -> tuple[list[dict], int]:
    """What make() does to build TLS contexts, seen by a profiler (nothing patched): the
    arguments of each ssl.create_default_context() call, and how many times a context loaded
    CA certificates (load_verify_locations, or load_default_certs for the system's)."""
    contexts: list[dict] = []
    loads = 0

    def profile(frame, event: str, arg) -> None:
        nonlocal loads
        if event == "call" and frame.f_code is ssl.create_default_context.__code__:
            contexts.append({name: frame.f_locals[name] for name in ("cafile", "capath", "cadata")})
        elif event == "c_call" and getattr(arg, "__name__", "") in ("load_verify_locations", "set_default_verify_paths"):
            loads += 1

    sys.setprofile(profile)
    try:
        make()
    finally:
        sys.setprofile(None)
    return contexts, loads


def test_creating_a_client_loads_a_ca_bundle_and_a_given_context_spares_it(monkeypatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    # The blocking work in the table's "creating one" row: a file of certificates read and parsed.
    assert _tls_setup(httpx.AsyncClient) == ([{"cafile": certifi.where(), "capath": None, "cadata": None}], 1)
    context = ssl.create_default_context()
    assert _tls_setup(lambda: httpx.AsyncClient(verify=context)) == ([], 0)  # made once, at startup


@pytest.mark.parametrize("variable", ["SSL_CERT_FILE", "SSL_CERT_DIR"])
def test_httpx_loads_certifi_unless_ssl_cert_file_or_dir_is_set(variable, monkeypatch, tmp_path) -> None:
    # docs/async/blocking.md: certifi's bundle, or the file or folder one of these two variables
    # names (httpx's _config.create_ssl_context, with trust_env, True by default).
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    bundle = shutil.copy(certifi.where(), tmp_path / "ca.pem")
    where = str(bundle) if variable == "SSL_CERT_FILE" else str(tmp_path)
    monkeypatch.setenv(variable, where)
    [arguments], loads = _tls_setup(httpx.AsyncClient)
    assert loads == 1
    assert arguments == ({"cafile": where, "capath": None, "cadata": None} if variable == "SSL_CERT_FILE"
                         else {"cafile": None, "capath": where, "cadata": None})
    # trust_env=False ignores the variable: certifi again.
    [arguments], _ = _tls_setup(lambda: httpx.AsyncClient(trust_env=False))
    assert arguments["cafile"] == certifi.where()


def test_the_page_output(snippet_output) -> None:
    lines = snippet_output("what_blocks.py").splitlines()
    verdicts = {line.split("  ")[0].strip(): line.rsplit("  ", 1)[1] for line in lines[1:]}
    assert {label for label, verdict in verdicts.items() if verdict == "BLOCKED"} == BLOCKING
