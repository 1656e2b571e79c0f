"""The servers benchmark's committed results: what the ASGI servers page renders.

The numbers come from running benchmarks/servers.py (no test times anything); these checks
keep the data honest: every server the script knows is in it, each ratio is its own row's
rate over the baseline's, and the machine and versions are named.
"""

from __future__ import annotations

import json
from importlib.metadata import version

import pytest

from onthewire import paths

RESULTS = paths.ROOT / "benchmarks" / "results" / "servers.json"


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(RESULTS.read_text())


def test_every_server_of_the_script_is_measured(data: dict) -> None:
    import servers  # benchmarks/servers.py, on sys.path through conftest

    assert [row["server"] for row in data["rows"]] == list(servers._servers(0))


def test_ratios_are_rates_over_the_baseline(data: dict) -> None:
    base = next(row for row in data["rows"] if row["server"] == data["baseline"])
    for row in data["rows"]:
        for load in ("hello", "slow"):
            assert row[f"{load}_ratio"] == pytest.approx(row[load] / base[load], abs=0.01)


def test_machine_method_and_versions_are_named(data: dict) -> None:
    assert data["measured"] and data["machine"] and "wrk" in data["method"]
    versions = {row["server"]: row["version"] for row in data["rows"]}
    # Measured with the versions the lock installs: re-run the benchmark after an upgrade.
    assert versions["uvicorn"] == version("uvicorn")
    assert versions["gunicorn sync"] == version("gunicorn")
    assert versions["granian"] == version("granian")


def test_what_the_servers_page_says_of_the_numbers(data: dict) -> None:
    rows = {row["server"]: row for row in data["rows"]}
    sync = rows["gunicorn sync"]
    # Two sync workers wait for 50 ms twice at a time: at most 40 requests per second.
    assert 25 < sync["slow"] <= 2 / 0.05 * 1.05
    # uWSGI: several times faster on hello world, no faster on slow I/O.
    assert rows["uWSGI"]["hello_ratio"] > 2 and rows["uWSGI"]["slow_ratio"] < 1.2
    # Every event-loop server overlaps the waits: at least five times the sync rate.
    asgi = ["uvicorn", "gunicorn + UvicornWorker", "gunicorn -k asgi", "hypercorn", "daphne", "granian", "asgi-server lab (solution)"]
    assert all(rows[name]["slow_ratio"] >= 5 for name in asgi)
    # A parser in C or Rust leads the pure-Python servers on hello world.
    assert min(rows[n]["hello"] for n in ("uvicorn", "granian")) > max(
        rows[n]["hello"] for n in ("hypercorn", "daphne", "asgi-server lab (solution)"))
    # gunicorn's asgi worker: a pure-Python parser (no gunicorn_h1c here) on uvloop keeps up
    # with the C parsers, and leads the pure-Python servers on asyncio or Twisted.
    import importlib.util

    assert importlib.util.find_spec("gunicorn_h1c") is None and importlib.util.find_spec("uvloop") is not None
    assert rows["gunicorn -k asgi"]["hello"] > max(rows[n]["hello"] for n in ("hypercorn", "daphne", "asgi-server lab (solution)"))

