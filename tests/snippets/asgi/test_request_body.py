"""request_body: uvicorn's scope for a real request, and the body as one or several http.request messages."""

from __future__ import annotations

import io

from snippets.asgi.request_body import one_request, upload_in_pieces


def test_the_scope_has_the_keys_of_the_spec_with_bytes_where_bytes_belong() -> None:
    # path is percent-decoded text; raw_path and query_string are the bytes sent
    trace = io.StringIO()
    assert one_request(trace) == "Hello, adá! You sent 12 bytes.\n"
    text = trace.getvalue()
    for line in ("type          'http'", "http_version  '1.1'", "method        'POST'", "scheme        'http'",
                 "path          '/adá'", "raw_path      b'/ad%C3%A1'", "query_string  b'lang=en'", "root_path     ''",
                 "client        127.0.0.1:<port>", "server        127.0.0.1:<port>"):
        assert line in text, line
    # headers: lower-case names (decoded for reading), although the client wrote Content-Type
    assert "content-type: text/plain" in text and "content-length: 12" in text
    assert "Content-Type" not in text
    assert "'version': '3.0'" in text


def test_a_body_with_a_content_length_comes_in_one_message() -> None:
    trace = io.StringIO()
    one_request(trace)
    received = [line for line in trace.getvalue().splitlines() if " receive " in line]
    assert received == ["#1       receive http.request body=b'Hello, ASGI!' more_body=False"]


def test_a_chunked_body_comes_in_one_message_per_piece() -> None:
    trace = io.StringIO()
    pieces = [b"one, ", b"two, ", b"three"]
    assert upload_in_pieces(pieces, trace) == "Hello, grace! You sent 15 bytes.\n"
    received = [line.split("receive ", 1)[1] for line in trace.getvalue().splitlines() if " receive " in line]
    assert received == [f"http.request body={p!r} more_body=True" for p in pieces] + [
        "http.request body=b'' more_body=False"]
