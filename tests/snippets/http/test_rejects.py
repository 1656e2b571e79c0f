"""What uvicorn does with each malformed request, under each of its HTTP parsers."""

from __future__ import annotations

import pytest

from onthewire.serving import serving_asgi
from snippets.http import rawhttp, rejects
from snippets.http.demo_app import app

# (httptools, h11): status, kept open
EXPECTED = {
    "Content-Length + Transfer-Encoding": ((400, False), (200, True)),
    "Content-Length: abc": ((400, False), (400, False)),
    "Content-Length: 5 and 6 (two lines)": ((400, False), (400, False)),
    "Content-Length: 5, 5": ((400, False), (200, True)),
    "space before colon: 'Host : x'": ((400, False), (400, False)),
    "obs-fold (a continuation line)": ((400, False), (200, True)),
    "HTTP/1.1 without Host": ((200, True), (400, False)),
    "two Host fields": ((200, True), (400, False)),
    "1 MiB header field": ((200, True), (400, False)),
}
BREAKS_A_MUST = {
    ("Content-Length + Transfer-Encoding", "h11"),
    ("HTTP/1.1 without Host", "httptools"),
    ("two Host fields", "httptools"),
}


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, rejects.Outcome]]:
    return rejects.run()


@pytest.mark.parametrize("case", rejects.CASES, ids=lambda case: case.name)
def test_outcome(results, case: rejects.Case) -> None:
    got = tuple((o.status, o.kept_open) for o in (results[case.name][p] for p in rejects.PARSERS))
    assert got == EXPECTED[case.name]
    for parser in rejects.PARSERS:
        breaks = not case.allowed(results[case.name][parser])
        assert breaks == ((case.name, parser) in BREAKS_A_MUST), (case.name, parser)


def test_the_table_marks_exactly_the_broken_musts(snippet_output) -> None:
    out = snippet_output("rejects.py")
    assert out.count("✗") == len(BREAKS_A_MUST)


def test_with_httptools_the_app_gets_no_host_or_two() -> None:
    with serving_asgi(app, http="httptools") as url:
        bodies = []
        for fields in (b"", b"Host: a.test\r\nHost: b.test\r\n"):
            with rawhttp.connect(url) as sock:
                sock.sendall(b"GET /headers HTTP/1.1\r\n" + fields + b"Connection: close\r\n\r\n")
                bodies.append(rawhttp.read_response(rawhttp.Reader(sock)).body)
    assert b"host:" not in bodies[0]
    assert b"host: 'a.test'\nhost: 'b.test'\n" in bodies[1]
