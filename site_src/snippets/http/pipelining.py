"""Pipelining: several requests sent before any response, answered strictly in order.

HTTP/1.1 lets a client send its next request without waiting for the previous response; the
server must answer in the order the requests arrived (RFC 9112 §9.3.2), since nothing in a
response says which request it answers. So one slow response holds back every response
queued behind it: head-of-line blocking. This file sends /slow (0.3 s), / and /echo in a
single write on one connection, then the same three on three connections at once, and
reports which responses had to wait for the slow one.

Run it:  python pipelining.py
Try:     put /slow last; pipeline a POST with a body between two GETs.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from onthewire.serving import serving_asgi
from snippets.http import rawhttp
from snippets.http.demo_app import SLOW_SECONDS, app

TARGETS = ["/slow", "/", "/echo"]


def get(target: str, close: bool = False) -> bytes:
    head = f"GET {target} HTTP/1.1\r\nHost: demo.test\r\n"
    if close:  # the last request asks the server to close once it has answered
        head += "Connection: close\r\n"
    return (head + "\r\n").encode()


def pipelined(url: str) -> tuple[bytes, list[tuple[rawhttp.Response, float]]]:
    # --8<-- [start:pipeline]
    last = TARGETS[-1]
    requests = b"".join(get(target, close=(target == last)) for target in TARGETS)
    with rawhttp.connect(url) as sock:
        reader = rawhttp.Reader(sock)
        start = time.monotonic()
        sock.sendall(requests)                 # all three requests in one write
        answers = []
        for _ in TARGETS:                      # responses come in request order
            response = rawhttp.read_response(reader)
            answers.append((response, time.monotonic() - start))
    # --8<-- [end:pipeline]
    return requests, answers


def one_connection_each(url: str) -> list[str]:
    """Each request on its own connection, all at once; the targets in the order answered.

    The order, not a stopwatch, carries the claim: a quick response that comes back before
    /slow's did not wait for it, however slow the machine is today.
    """
    answered: list[str] = []

    def fetch(target: str) -> None:
        with rawhttp.connect(url) as sock:
            sock.sendall(get(target, close=True))
            rawhttp.read_response(rawhttp.Reader(sock))
        answered.append(target)  # list.append is atomic: threads may finish in any order

    with ThreadPoolExecutor(len(TARGETS)) as pool:
        list(pool.map(fetch, TARGETS))
    return answered


def waited(target: str, seconds: float) -> str:
    """On one connection: did this response come after /slow's 0.3 s (a lower bound)?"""
    if target == "/slow":
        return "(the slow one)"
    return "waited for /slow" if seconds >= SLOW_SECONDS * 0.9 else "did not wait"


def overtook(target: str, answered: list[str]) -> str:
    """On separate connections: was this response answered before /slow's?"""
    if target == "/slow":
        return "(the slow one)"
    return "did not wait" if answered.index(target) < answered.index("/slow") else "waited for /slow"


def main() -> None:
    with serving_asgi(app) as url:
        requests, answers = pipelined(url)
        separate = one_connection_each(url)

    print("== one connection, three requests in one write")
    rawhttp.show(requests, "> ")
    print("responses, in the order they arrived:")
    for target, (response, seconds) in zip(TARGETS, answers):
        print(f"  {response.status} {response.body!r:<36} {waited(target, seconds)}")

    print("\n== three connections, one request each, sent at the same time")
    for target in TARGETS:
        print(f"  GET {target:<6} {overtook(target, separate)}")


if __name__ == "__main__":
    main()
