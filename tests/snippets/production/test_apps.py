"""apps: the one app every server of the module runs; each path does what the pages say."""

from __future__ import annotations

import json
import time

from snippets.production.apps import SEEN, application, call


def test_slow_sleeps_and_says_so() -> None:
    started = time.perf_counter()
    assert call("/slow", "s=0.1") == ("200 OK", b"slept 0.1 s\n")
    assert time.perf_counter() - started >= 0.1


def test_upload_reads_exactly_the_body() -> None:
    assert call("/upload", body=b"x" * 1234) == ("200 OK", b"received 1234 bytes\n")


def test_big_sends_the_megabytes_asked_for() -> None:
    status, body = call("/big", "mb=3")
    assert status == "200 OK" and len(body) == 3 * 1024 * 1024


def test_environ_shows_only_the_keys_about_the_client_host_and_scheme() -> None:
    seen = json.loads(call("/environ")[1])
    assert set(seen) <= set(SEEN) and seen["wsgi.url_scheme"] == "http"
    prefixed = json.loads(call("/environ", "prefix=wsgi.")[1])
    assert prefixed and all(key.startswith("wsgi.") for key in prefixed)


def test_root_says_who_answered() -> None:
    assert set(json.loads(call("/")[1])) == {"pid", "thread", "user", "multithread", "multiprocess"}


def test_is_a_callable_named_application_for_uwsgi_and_mod_wsgi() -> None:
    assert callable(application) and application.__name__ == "application"


def test_the_page_output(snippet_output) -> None:
    lines = snippet_output("apps.py").splitlines()
    assert lines[0] == "/slow?s=0.1 -> 200 OK b'slept 0.1 s\\n'"
    assert lines[2] == "/big?mb=2   -> 200 OK (2,097,152 bytes)"
