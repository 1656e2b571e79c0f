"""What a server must refuse, tried on a real one: each malformed request goes to uvicorn with
each of its two HTTP parsers (httptools, the default when it is installed, and h11).

For every case the file records the status code and whether the connection stayed open (it
sends a second, valid request on the same connection and sees if it is answered). A cell
marked ✗ breaks a MUST of the rule written next to the case in CASES.

Run it:  python rejects.py
Try:     add `Transfer-Encoding: gzip` without chunked (RFC 9112 §6.3, rule 4); add a request
         line with two spaces between method and target.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.http.demo_app import app

PARSERS = ("httptools", "h11")
BIG = 1024 * 1024  # 1 MiB of header field value
FOLLOW_UP = b"GET / HTTP/1.1\r\nHost: demo.test\r\nConnection: close\r\n\r\n"


@dataclass
class Outcome:
    status: int | None  # None: the connection closed without an answer
    kept_open: bool

    def __str__(self) -> str:
        answer = "no answer" if self.status is None else str(self.status)
        return f"{answer}, {'kept open' if self.kept_open else 'closed'}"


@dataclass
class Case:
    name: str
    rule: str
    request: bytes
    allowed: Callable[[Outcome], bool]  # what the rule lets a server do


def post(fields: bytes, body: bytes = b"") -> bytes:
    return b"POST /echo HTTP/1.1\r\nHost: demo.test\r\n" + fields + b"\r\n" + body


def get(fields: bytes) -> bytes:
    return b"GET / HTTP/1.1\r\n" + fields + b"\r\n"


def rejected(o: Outcome) -> bool:
    return o.status == 400


def rejected_and_closed(o: Outcome) -> bool:
    return o.status == 400 and not o.kept_open


# --8<-- [start:cases]
CASES = [
    Case("Content-Length + Transfer-Encoding", "9112 §6.1: 400, or T-E then close",
         post(b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
              b"0\r\n\r\n"),
         lambda o: not o.kept_open),
    Case("Content-Length: abc", "9112 §6.3: 400 and close",
         post(b"Content-Length: abc\r\n", b"hello"), rejected_and_closed),
    Case("Content-Length: 5 and 6 (two lines)", "9112 §6.3: 400 and close",
         post(b"Content-Length: 5\r\nContent-Length: 6\r\n", b"hello"),
         rejected_and_closed),
    Case("Content-Length: 5, 5", "9110 §8.6: 400, or read as 5",
         post(b"Content-Length: 5, 5\r\n", b"hello"), lambda o: True),
    Case("space before colon: 'Host : x'", "9112 §5.1: 400",
         get(b"Host : demo.test\r\n"), rejected),
    Case("obs-fold (a continuation line)", "9112 §5.2: 400, or unfold",
         get(b"Host: demo.test\r\nX-Folded: first\r\n second\r\n"),
         lambda o: True),
    Case("HTTP/1.1 without Host", "9112 §3.2: 400",
         get(b""), rejected),
    Case("two Host fields", "9112 §3.2: 400",
         get(b"Host: demo.test\r\nHost: other.test\r\n"), rejected),
    Case("1 MiB header field", "9110 §5.4: 4xx if too big",
         get(b"Host: demo.test\r\nX-Big: " + b"a" * BIG + b"\r\n"),
         lambda o: True),
]
# --8<-- [end:cases]


def probe(url: str, request: bytes) -> Outcome:
    # --8<-- [start:probe]
    with rawhttp.connect(url) as sock:
        reader = rawhttp.Reader(sock)
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading; its answer may still be there
        try:
            status = rawhttp.read_response(reader, method="POST").status
        except rawhttp.ConnectionClosed:
            return Outcome(None, kept_open=False)
        try:  # is the connection still usable? send a valid request and see
            sock.sendall(FOLLOW_UP)
            rawhttp.read_response(reader)
            return Outcome(status, kept_open=True)
        except (rawhttp.ConnectionClosed, BrokenPipeError, ConnectionResetError):
            return Outcome(status, kept_open=False)
    # --8<-- [end:probe]


def run() -> dict[str, dict[str, Outcome]]:
    """{case name: {parser: outcome}}"""
    results: dict[str, dict[str, Outcome]] = {case.name: {} for case in CASES}
    for parser in PARSERS:
        # log_level="error": uvicorn logs a warning for every invalid request it refuses
        with serving_asgi(app, http=parser, log_level="error") as url:
            for case in CASES:
                results[case.name][parser] = probe(url, case.request)
    return results


def versions() -> str:
    return ", ".join(f"{name} {metadata.version(name)}" for name in ("uvicorn", "httptools", "h11"))


def main() -> None:
    results = run()
    print(f"with {versions()}\n")
    print(f"{'request':<36} {'httptools':<17} h11")
    for case in CASES:
        cells = []
        for parser in PARSERS:
            outcome = results[case.name][parser]
            cells.append(f"{outcome}{'' if case.allowed(outcome) else ' ✗'}")
        print(f"{case.name:<36} {cells[0]:<17} {cells[1]}".rstrip())


if __name__ == "__main__":
    main()
