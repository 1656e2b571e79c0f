"""Multiplexing: streams on one connection run at once, and a real framework works."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import h2.events
import pytest
from h2_checks import RawClient
from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import TIMEOUT, client, fetch

STREAMS = 10
TOGETHER_WAIT = 5.0  # seconds /together waits for the rest of its group (checks/apps/h2_apps.py)


def test_streams_run_at_once(serve_app: ServeFactory, record_property) -> None:
    """runs 10 streams of one connection at once: all 10 apps are in progress together

    Each app waits (up to 5 s) until all 10 have started; a server that runs one stream's
    app to the end before the next one starts can never get there.

    Look at: Connection.request_received(): does each stream's app run in a task of its own?
    """
    with serve_app() as server:
        raw = RawClient(server)
        try:
            ids = [raw.request(f"/together?group=streams&n={STREAMS}") for _ in range(STREAMS)]
            for stream_id in ids:
                ended = (h2.events.StreamEnded, h2.events.StreamReset)
                raw.wait_for(lambda e, s=stream_id: isinstance(e, ended) and e.stream_id == s,
                             f"the end of stream {stream_id}", timeout=TOGETHER_WAIT + TIMEOUT)
                status, body = raw.status(stream_id), raw.body(stream_id)
                if body.startswith(b"alone"):
                    raise AssertionError(f"stream {stream_id}'s app waited {TOGETHER_WAIT:g} s for the others and "
                                         f"said {body.decode().strip()!r}: the streams ran one after the other?")
                assert status == "200" and body == b"together %d\n" % STREAMS, \
                    f"stream {stream_id} got status {status} and {body!r}, want 200 and b'together {STREAMS}\\n'"
        finally:
            raw.close()
    record_property("measured", f"{STREAMS} streams' apps were in progress at once")


def test_httpx_shares_one_connection(serve_app: ServeFactory) -> None:
    """answers 10 requests that httpx sends at once on one HTTP/2 connection

    Look at: Stream.send() and the Connection's dict of streams: each response on its own stream id
    """
    with serve_app() as server, client(server, http2=True) as c:
        with ThreadPoolExecutor(STREAMS) as pool:
            replies = list(pool.map(lambda i: c.get(f"/n{i}"), range(STREAMS)))
    for i, reply in enumerate(replies):
        assert reply.http_version == "HTTP/2", f"reply {i} came over {reply.http_version}"
        assert reply.text == f"GET /n{i} HTTP/2\n", f"GET /n{i} got {reply.text!r}: a response on the wrong stream?"


def test_starlette(serve_app: ServeFactory) -> None:
    """serves a real Starlette app: JSON, a streamed response and an upload

    Look at: build_scope() (given) and Stream.receive()/send() (Starlette reads every key)
    """
    with serve_app("tiny_starlette:app") as server:
        hello = fetch(server, "GET", "/?name=Ada", http2=True)
        count = fetch(server, "GET", "/count", http2=True)
        upload = fetch(server, "POST", "/upload", http2=True, content=b"z" * 100_000)
    assert hello.status_code == 200, f"GET / answered {hello.status_code}"
    assert hello.json()["hello"] == "Ada" and hello.json()["http_version"] == "2", f"GET / said {hello.text!r}"
    assert count.text == "1\n2\n3\n", f"GET /count streamed {count.text!r}"
    assert upload.json() == {"received": 100_000}, f"POST /upload said {upload.text!r}"


@pytest.mark.allow_traceback  # the app raises on purpose: the server logs it
def test_app_error_is_a_500(serve_app: ServeFactory) -> None:
    """answers 500 on a stream whose app raises, and goes on serving the connection

    Look at: Stream.run() (given) and Stream.send(): did the 500 go out as HEADERS and DATA?
    """
    with serve_app() as server, client(server, http2=True) as c:
        failed = c.get("/fail")
        after = c.get("/after")
    assert failed.status_code == 500, f"GET /fail (the app raises) answered {failed.status_code}, want 500"
    assert after.text == "GET /after HTTP/2\n", f"the request after the error got {after.text!r}"
