"""Checks for the http-server lab: the server under test, driven by real clients.

httpx and curl are clients people use every day; h11 parses each response strictly, so a
response it accepts is well-formed HTTP/1.1; raw sockets send what no polite client would.
Every read has a timeout, so a check that fails does so in seconds instead of hanging.
The checks run in the order of the TODOs in server.py.
"""

from __future__ import annotations

import random
import re
import select
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass

import h11
import httpx

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import fail
from onthewire.serving import Running

TIMEOUT = 2.0  # seconds any one read may take before a check gives up (the server's timeout is 30 s)
# How long the checks of the timeout wait for the server's 1-second timeout to close a
# connection: a lower bound on the server's side, with room for a busy machine.
TIMEOUT_WAIT = 6.0
HOST_LINE = b"Host: checks.test\r\n"

Headers = Sequence[tuple[str, str]]

################################################################
# Clients and assertions
################################################################


def check(condition: object, message: str) -> None:
    if not condition:
        fail(message)


def server_said(output: str) -> str:
    """The last exception in some of the server's output, for a failure message."""
    errors = [line.strip() for line in output.splitlines()
              if re.match(r"[A-Za-z_][\w.]*(Error|Exception)\b", line.strip())]
    if not errors:
        return ""
    if "HTTPError" in errors[-1]:
        return (f" (the server raised {errors[-1][:80]} and nothing caught it: serve_requests()"
                " should answer an HTTPError with error.response())")
    return f" (the server printed: {errors[-1][:120]})"


def output_since(server: Running, since: int = 0) -> str:
    """What the server printed after byte `since` of its output (at most the last 64 KiB)."""
    with server.log.open("rb") as log:
        size = log.seek(0, 2)
        log.seek(max(since, size - 65536))
        return log.read().decode(errors="replace")


def trouble(server: Running, since: int = 0) -> str:
    """What went wrong on the server's side (after byte `since` of its output), for a message."""
    code = server.process.poll()
    if code is not None:
        return f" (the server process has exited, with code {code})" + server_said(output_since(server))
    return server_said(output_since(server, since))


# Status codes by their RFC 9110 names (Python's http.HTTPStatus uses older ones for some).
PHRASES = {
    200: "OK", 400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed", 408: "Request Timeout",
    413: "Content Too Large", 431: "Request Header Fields Too Large", 500: "Internal Server Error",
    501: "Not Implemented", 505: "HTTP Version Not Supported",
}


def phrase(status: int) -> str:
    return f"{status} {PHRASES.get(status, '')}".strip()


@dataclass
class Answer:
    """A response as h11 parsed it, with what the server printed if it was a 500."""

    status: int
    headers: dict[str, str]  # lower-case names; a repeated name's values joined by ", "
    body: bytes
    note: str = ""  # for a 500: the exception the server printed

    def says_close(self) -> bool:
        return "close" in [option.strip().lower() for option in self.headers.get("connection", "").split(",")]


def request_bytes(method: str, target: str, headers: Headers = (), body: bytes = b"") -> bytes:
    """A well-formed request, serialized by h11."""
    conn = h11.Connection(h11.CLIENT)
    return _send(conn, method, target, headers, body)


def _send(conn: h11.Connection, method: str, target: str, headers: Headers, body: bytes) -> bytes:
    all_headers = list(headers)
    if not any(name.lower() == "host" for name, _ in all_headers):
        all_headers.insert(0, ("Host", "checks.test"))
    if body:
        all_headers.append(("Content-Length", str(len(body))))
    data = conn.send(h11.Request(method=method, target=target, headers=all_headers)) or b""
    if body:
        data += conn.send(h11.Data(data=body)) or b""
    return data + (conn.send(h11.EndOfMessage()) or b"")


class Client:
    """One TCP connection to the server under test; h11 parses every response strictly."""

    def __init__(self, server: Running, timeout: float = TIMEOUT) -> None:
        self.server = server
        self.timeout = timeout
        self.mark = server.log.stat().st_size  # how much the server printed before this connection
        try:
            self.sock = socket.create_connection((server.host, server.port), timeout=timeout)
        except OSError as e:
            fail(f"could not connect to the server ({e})" + self.said())
        self.h11 = h11.Connection(h11.CLIENT)

    def said(self) -> str:
        return trouble(self.server, since=self.mark)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.sock.close()

    def send_raw(self, data: bytes) -> None:
        self.sock.settimeout(self.timeout)
        try:
            self.sock.sendall(data)
        except OSError as e:
            fail(f"could not send the request, the server had closed the connection ({e})" + self.said())

    def request(self, method: str = "GET", target: str = "/", headers: Headers = (), body: bytes = b"",
                *, send: bool = True) -> None:
        """Send a request built by h11; with send=False, only tell h11 about a request that was
        sent as raw bytes, so that it knows which response to expect."""
        data = _send(self.h11, method, target, headers, body)
        if send:
            self.send_raw(data)

    def expect(self, method: str = "GET") -> None:
        self.request(method, "/", send=False)

    def response(self, what: str) -> Answer:
        """Read the next response, failing in plain words if it is missing, late or malformed."""
        status: int | None = None
        headers: dict[str, str] = {}
        body = b""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                event = self.h11.next_event()
            except h11.RemoteProtocolError as e:
                fail(f"{what}: the response isn't valid HTTP/1.1 (h11: {e})" + self.said())
            if event is h11.NEED_DATA:
                try:
                    data = self._recv(deadline)
                except TimeoutError:
                    fail(f"{what}: no complete response within {self.timeout:g} s")
                if not data and status is None:
                    fail(f"{what}: the server closed the connection without answering" + self.said())
                self.h11.receive_data(data)
            elif isinstance(event, h11.Response):
                status = event.status_code
                for raw_name, raw_value in event.headers:
                    name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
                    headers[name] = f"{headers[name]}, {value}" if name in headers else value
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                assert status is not None
                return Answer(status, headers, body, self.said() if status == 500 else "")
            elif not isinstance(event, h11.InformationalResponse):
                fail(f"{what}: no response, h11 reports {event!r}" + self.said())

    def _recv(self, deadline: float) -> bytes:
        """The next bytes from the server, b"" once it has closed (or reset) the connection.
        Raises TimeoutError at the deadline, even if the server keeps sending."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        self.sock.settimeout(remaining)
        try:
            return self.sock.recv(65536)
        except ConnectionResetError:
            return b""

    def next_cycle(self, after: str) -> None:
        """Get ready for the next request on this connection."""
        if self.h11.their_state is not h11.DONE:
            fail(f"the server closed the connection after {after}: an HTTP/1.1 connection stays open "
                 "unless the client sent Connection: close")
        self.h11.start_next_cycle()

    def rest_until_close(self, what: str, within: float | None = None) -> bytes:
        """Everything the server sends from now until it closes the connection, which must
        happen within `within` seconds (the client's timeout if not given)."""
        rest, _ = self.h11.trailing_data
        wait = self.timeout if within is None else within
        deadline = time.monotonic() + wait
        while True:
            try:
                data = self._recv(deadline)
            except TimeoutError:
                fail(f"{what}: the connection was still open {wait:g} s later; the server must close it")
            if not data:
                return rest
            rest += data

    def expect_closed(self, after: str) -> None:
        """The server closes the connection after the response, on purpose: the checks' server
        waits 30 s for a silent client, far longer than this waits, so its timeout can't be
        what closed it."""
        rest = self.rest_until_close(f"after {after}")
        if rest:
            fail(f"after {after}, the server sent {len(rest)} more bytes ({rest[:40]!r}) instead of closing")


def assert_status(reply: Answer, status: int, what: str) -> None:
    if reply.status != status:
        fail(f"{what}: expected {phrase(status)}, got {phrase(reply.status)}"
             + reply.note)


def assert_still_serving(server: Running, after: str) -> None:
    """The server must survive anything a client sends: a good request still gets its answer."""
    if server.process.poll() is not None:
        fail(f"the server stopped after {after}" + trouble(server))
    with Client(server) as client:
        client.request("GET", "/", [("Connection", "close")])
        reply = client.response(f"a good GET / after {after}")
    assert_status(reply, 200, f"a good GET / after {after}")


def refused(server: Running, raw: bytes, status: int, what: str) -> Answer:
    """Send raw bytes and expect the error `status`, with Content-Length and Connection: close,
    then the connection closed; then check that the server still answers a good request."""
    with Client(server) as client:
        client.send_raw(raw)
        client.expect()
        reply = client.response(what)
        assert_status(reply, status, what)
        if "content-length" not in reply.headers:
            fail(f"{what}: the {status} response has no Content-Length")
        if not reply.says_close():
            fail(f"{what}: the {status} response doesn't say Connection: close"
                 " (serve_requests() sends an error response as the last one)")
        client.expect_closed(f"the {status} response to {what}")
    assert_still_serving(server, what)
    return reply


def curl(*args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["curl", "-sS", "--max-time", "3", *args], capture_output=True, timeout=15)
    except subprocess.TimeoutExpired:
        fail(f"curl {' '.join(args)} did not finish")


def httpx_call(server: Running, client: httpx.Client, method: str, path: str,
               **kwargs: object) -> httpx.Response:
    try:
        return client.request(method, server.url + path, **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError as e:
        fail(f"{method} {path}: httpx got no answer ({type(e).__name__}: {e})" + trouble(server))


################################################################
# A first response
################################################################


def test_get_root(serve: ServeFactory) -> None:
    """answers GET / with 200 and Hello, world! to httpx and to curl

    Look at: read_head() and parse_request_line(). The checks start server.py as `wire start` does.
    """
    with serve() as server:
        with httpx.Client(timeout=TIMEOUT) as client:
            r = httpx_call(server, client, "GET", "/")
        check(r.status_code == 200, f"httpx: GET / answered {r.status_code}, expected 200")
        check(r.headers.get("content-type", "").startswith("text/plain"), "GET / should be text/plain")
        check(r.text == "Hello, world!\n", f"httpx: GET / answered {r.text[:60]!r}")

        result = curl("-i", server.url + "/")
        check(result.returncode == 0, f"curl -i {server.url}/ failed: {result.stderr.decode().strip()}")
        head, _, body = result.stdout.partition(b"\r\n\r\n")
        check(head.startswith(b"HTTP/1.1 200 "), f"curl saw {head[:40]!r}, expected HTTP/1.1 200")
        check(re.search(rb"(?im)^content-length: *14\r?$", head), "curl saw no Content-Length: 14")
        check(body == b"Hello, world!\n", f"curl got the body {body[:60]!r}")


def test_every_response_is_valid(server: Running) -> None:
    """answers as the README says (200, 404, 405 with Allow, 501), every response valid HTTP/1.1 for h11

    Look at: parse_request_line(); the app and send_response() are given.
    """
    cases = [
        ("GET", "/", b"", 200),
        ("GET", "/echo", b"", 200),
        ("POST", "/echo", b"ping", 200),
        ("GET", "/nowhere", b"", 404),
        ("PUT", "/", b"", 405),
        ("DELETE", "/echo", b"", 405),
        ("BREW", "/", b"", 501),
    ]
    for method, target, body, status in cases:
        what = f"{method} {target}"
        with Client(server) as client:
            client.request(method, target, body=body)
            reply = client.response(what)
        assert_status(reply, status, what)
        for name in ("content-length", "date"):
            if name not in reply.headers:
                fail(f"{what}: the response has no {name.title()} header")
        if status == 405 and not reply.headers.get("allow"):
            fail(f"{what}: a 405 response must list the allowed methods in Allow (RFC 9110 §15.5.6)")


################################################################
# The head: finding its end on a stream of bytes
################################################################


def test_head_in_pieces(server: Running) -> None:
    """waits for the whole head when it arrives in pieces, and answers only after the empty line

    Look at: read_head(): call conn.receive() until the buffer holds CRLF CRLF.
    """
    with Client(server) as client:
        client.send_raw(b"GET /echo HTTP/1.1\r\nHo")
        client.sock.settimeout(0.3)
        try:
            early: bytes | None = client.sock.recv(65536)
        except TimeoutError:
            early = None  # as it should be: the server is still waiting for the rest
        except ConnectionResetError:
            early = b""
        client.sock.settimeout(TIMEOUT)
        if early is not None:
            fail("with only part of the head sent, the server already "
                 + (f"answered {early[:30]!r}" if early else "closed the connection")
                 + ": it must wait for the empty line")
        client.send_raw(b"st: pieces\r\nX-Late: yes\r\n\r")
        client.send_raw(b"\n")
        client.expect()
        reply = client.response("a head sent in three pieces")
    assert_status(reply, 200, "a head sent in three pieces")
    check(b"x-late: yes" in reply.body, f"GET /echo didn't list the header sent last: {reply.body[:200]!r}")


def test_head_size_limit(server: Running) -> None:
    """accepts a 7 KiB head, and answers 431 to a header block over 8 KiB, or one that never ends

    Look at: read_head(): look for CRLF CRLF in the first MAX_HEAD bytes only.
    """
    filler = b"".join(b"X-Filler-%02d: %s\r\n" % (i, b"a" * 90) for i in range(70))  # 7.2 KiB
    with Client(server) as client:
        client.send_raw(b"GET / HTTP/1.1\r\n" + HOST_LINE + filler + b"Connection: close\r\n\r\n")
        client.expect()
        reply = client.response("a 7 KiB head")
    assert_status(reply, 200, "a 7 KiB head (under the 8 KiB limit)")

    big = b"GET / HTTP/1.1\r\n" + HOST_LINE + b"X-Big: " + b"a" * 9000 + b"\r\n\r\n"
    refused(server, big, 431, "a 9 KiB header block")
    endless = b"GET / HTTP/1.1\r\n" + HOST_LINE + filler * 3  # 21 KiB, and no empty line
    refused(server, endless, 431, "21 KiB of header lines with no end")


def test_bare_lf(server: Running) -> None:
    """answers 400 to lines ending in a bare LF instead of CRLF, at once rather than waiting

    Look at: read_head(): LF LF never ends a head here; parse_headers() sees any other bare LF.
    """
    refused(server, b"GET / HTTP/1.1\nHost: checks.test\n\n", 400,
            "a head whose lines all end in LF")
    refused(server, b"GET / HTTP/1.1\r\nHost: checks.test\nX-Mixed: yes\r\n\r\n", 400,
            "a header line ending in a bare LF")


################################################################
# Parsing the request line and the header fields
################################################################


def test_bad_request_lines(server: Running) -> None:
    """answers 400 to a malformed request line (garbage, binary, non-ASCII, two spaces, ...), 505 to HTTP/2.0

    Look at: parse_request_line(): three parts, single spaces, each matching TOKEN, TARGET or HTTP_VERSION.
    """
    rest = b"\r\n" + HOST_LINE + b"\r\n"
    cases = {
        "plain garbage": b"hello there" + rest,
        "binary bytes (TLS sent to an HTTP port)": b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + rest,
        "non-ASCII bytes in the target": "GET /café HTTP/1.1".encode() + rest,
        "two spaces after the method": b"GET  / HTTP/1.1" + rest,
        "a tab instead of a space": b"GET\t/ HTTP/1.1" + rest,
        "a missing version": b"GET /" + rest,
        "a lower-case version, http/1.1": b"GET / http/1.1" + rest,
        "a fourth part": b"GET / HTTP/1.1 please" + rest,
        "a method that isn't a token": b"GE(T / HTTP/1.1" + rest,
    }
    for what, raw in cases.items():
        refused(server, raw, 400, f"a request line with {what}")
    refused(server, b"GET / HTTP/2.0" + rest, 505, "a request line with version HTTP/2.0")


def test_bad_header_lines(server: Running) -> None:
    """answers 400 to a malformed header line: a space before the colon (RFC 9112 §5.1), no colon, a folded line, NUL

    Look at: parse_headers(): the name is a TOKEN up to the colon, the value matches FIELD_VALUE.
    """
    start = b"GET / HTTP/1.1\r\n"
    cases = {
        "a space before the colon, Host : checks.test": start + b"Host : checks.test\r\n\r\n",
        "a tab before the colon": start + HOST_LINE + b"X-Tab\t: yes\r\n\r\n",
        "no colon": start + HOST_LINE + b"No colon here\r\n\r\n",
        "an empty name": start + HOST_LINE + b": nameless\r\n\r\n",
        "a folded continuation line": start + HOST_LINE + b"X-Folded: one\r\n two\r\n\r\n",
        "whitespace before the first header": start + b" " + HOST_LINE + b"\r\n",
        "a NUL byte in a value": start + HOST_LINE + b"X-Nul: a\x00b\r\n\r\n",
        "a bare CR in a value": start + HOST_LINE + b"X-CR: a\rb\r\n\r\n",
        "a name with a character a token can't have": start + HOST_LINE + b"X(Y): z\r\n\r\n",
    }
    for what, raw in cases.items():
        refused(server, raw, 400, f"a header line with {what}")


def test_echo_lists_headers(server: Running) -> None:
    """GET /echo lists every header sent: names in lower case, values without the spaces around them

    Look at: parse_headers(): lower-case the name, strip spaces and tabs around the value.
    """
    raw = (b"GET /echo?x=1 HTTP/1.1\r\n" + HOST_LINE + b"X-Padded: \t padded value \t\r\n"
           b"X-Repeated: one\r\nx-REPEATED: two\r\nUser-Agent: checks\r\nConnection: close\r\n\r\n")
    with Client(server) as client:
        client.send_raw(raw)
        client.expect()
        reply = client.response("GET /echo")
    assert_status(reply, 200, "GET /echo")
    lines = reply.body.decode("utf-8", "replace").splitlines()
    expected_lines = ("method: GET", "target: /echo?x=1", "version: HTTP/1.1", "headers: 6",
                      "host: checks.test", "x-padded: padded value", "x-repeated: one",
                      "x-repeated: two", "user-agent: checks")
    for expected in expected_lines:
        if expected not in lines:
            fail(f"GET /echo should list {expected!r}; it answered {' | '.join(lines)[:150]!r}")


def test_host_header(server: Running) -> None:
    """answers 400 to an HTTP/1.1 request without Host, or with two; an HTTP/1.0 request may leave it out

    Look at: check_host().
    """
    refused(server, b"GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, "an HTTP/1.1 request without Host")
    refused(server, b"GET / HTTP/1.1\r\n" + HOST_LINE + b"Host: other.test\r\n\r\n", 400,
            "a request with two Host headers")
    with Client(server) as client:
        client.send_raw(b"GET / HTTP/1.0\r\n\r\n")
        client.expect()
        reply = client.response("an HTTP/1.0 request without Host")
    assert_status(reply, 200, "an HTTP/1.0 request without Host")


################################################################
# The body: Content-Length
################################################################


def test_post_echo(server: Running) -> None:
    """POST /echo sends back exactly the body it got: a few bytes (httpx, curl) and 1 MiB, the limit

    Look at: body_length() and read_body(): a big body takes many recv() calls.
    """
    small = b"hello\r\n\r\nbinary \x00\xff, end"
    big = random.Random(1).randbytes(1024 * 1024)
    with httpx.Client(timeout=TIMEOUT) as client:
        for body in (small, big):
            r = httpx_call(server, client, "POST", "/echo", content=body)
            check(r.status_code == 200, f"POST /echo with {len(body)} bytes answered {r.status_code}")
            check(r.content == body,
                  f"POST /echo with {len(body)} bytes sent back {len(r.content)} bytes, not the same body")
    result = curl("--data-binary", "curl was here", server.url + "/echo")
    check(result.returncode == 0, f"curl --data-binary failed: {result.stderr.decode().strip()}")
    check(result.stdout == b"curl was here", f"curl --data-binary got back {result.stdout[:60]!r}")


def test_invalid_content_length(server: Running) -> None:
    """answers 400 to a Content-Length that isn't one number (abc, -1, 1.5, empty) or to two that disagree

    Look at: body_length(): digits only, and several values must agree (RFC 9112 §6.3 rule 5).
    """
    start = b"POST /echo HTTP/1.1\r\n" + HOST_LINE
    for value in (b"abc", b"-1", b"1.5", b"+5", b"0x10", b"", b"5 5"):
        refused(server, start + b"Content-Length: " + value + b"\r\n\r\nhello", 400,
                f"Content-Length: {value.decode()!r}")
    refused(server, start + b"Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400,
            "two Content-Length headers, 5 and 6")
    refused(server, start + b"Content-Length: 5, 6\r\n\r\nhello!", 400, "Content-Length: 5, 6")


def test_body_too_large(server: Running) -> None:
    """answers 413 to a Content-Length over 1 MiB at once, without waiting for the body, then closes

    Look at: body_length(): refuse it before read_body() waits for a single byte.
    """
    start = b"POST /echo HTTP/1.1\r\n" + HOST_LINE
    refused(server, start + b"Content-Length: 1048577\r\n\r\n", 413,
            "Content-Length: 1048577 (1 MiB + 1), body not sent")
    refused(server, start + b"Content-Length: " + b"9" * 30 + b"\r\n\r\n", 413,
            "a 30-digit Content-Length")


def test_transfer_encoding(server: Running) -> None:
    """answers 501 to Transfer-Encoding: chunked (only Content-Length bodies here), 400 to it with Content-Length

    Look at: body_length(): RFC 9112 §6.3 rule 3.
    """
    start = b"POST /echo HTTP/1.1\r\n" + HOST_LINE
    chunked = b"5\r\nhello\r\n0\r\n\r\n"
    refused(server, start + b"Transfer-Encoding: chunked\r\n\r\n" + chunked, 501,
            "Transfer-Encoding: chunked")
    refused(server, start + b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n" + chunked, 400,
            "Transfer-Encoding and Content-Length together")


################################################################
# Connections: keep-alive, close, pipelining
################################################################


def test_keep_alive(server: Running) -> None:
    """keeps an HTTP/1.1 connection open: three requests on one socket (h11), two URLs on one connection (curl)

    Look at: serve_requests() (a loop) and keep_alive().
    """
    with Client(server) as client:
        client.request("GET", "/")
        first = client.response("the first request on a connection")
        client.next_cycle("the first response")
        client.request("POST", "/echo", body=b"second")
        second = client.response("a second request on the same connection")
        client.next_cycle("the second response")
        client.request("GET", "/echo?third")
        third = client.response("a third request on the same connection")
    check(first.body == b"Hello, world!\n", f"the first response's body was {first.body[:40]!r}")
    check(second.body == b"second", f"POST /echo, second on the connection, sent back {second.body[:40]!r}")
    check(b"target: /echo?third" in third.body, f"the third response was {third.body[:80]!r}")

    result = curl("-v", server.url + "/", server.url + "/echo")
    stderr = result.stderr.decode(errors="replace")
    check(result.returncode == 0, f"curl with two URLs failed: {stderr.strip()[-120:]}")
    check(re.search(r"Re-?using existing connection", stderr),
          "curl had to open a second connection for its second URL")


def test_connection_close(server: Running) -> None:
    """closes after answering Connection: close or an HTTP/1.0 request, and says Connection: close

    Look at: keep_alive(): Connection is a comma-separated list of options, in any case.
    """
    for value in ("close", "Close", "keep-alive, close"):
        what = f"a request with Connection: {value}"
        with Client(server) as client:
            client.request("GET", "/", [("Connection", value)])
            reply = client.response(what)
            assert_status(reply, 200, what)
            if not reply.says_close():
                fail(f"the response to {what} doesn't say Connection: close")
            client.expect_closed(f"the response to {what}")
    with Client(server) as client:
        client.send_raw(b"GET / HTTP/1.0\r\n" + HOST_LINE + b"\r\n")
        client.expect()
        reply = client.response("an HTTP/1.0 request")
        assert_status(reply, 200, "an HTTP/1.0 request")
        client.expect_closed("the response to an HTTP/1.0 request (1.0 closes by default)")


def test_head_method(server: Running) -> None:
    """answers HEAD / with the headers GET / gets (Content-Length: 14) and no body

    Look at: serve_requests(): send_response() leaves the body out with head_only=True.
    """
    with Client(server) as client:
        client.request("HEAD", "/", [("Connection", "close")])
        reply = client.response("HEAD /")
        assert_status(reply, 200, "HEAD /")
        if reply.headers.get("content-length") != "14":
            fail("HEAD / should say Content-Length: 14, as GET / does,"
                 f" not {reply.headers.get('content-length')}")
        rest = client.rest_until_close("after the response to HEAD / (with Connection: close)")
    if rest:
        fail(f"HEAD / got a body ({rest[:30]!r}): a response to HEAD never has one")


def test_pipelining(server: Running) -> None:
    """answers pipelined requests in order: four sent at once, with a POST body and a HEAD among them

    Look at: read_head() and read_body(): the bytes after a request belong to the next one.
    """
    requests: list[tuple[str, str, Headers, bytes]] = [
        ("POST", "/echo", [], b"first"),
        ("GET", "/", [], b""),
        ("HEAD", "/", [], b""),
        ("GET", "/echo?n=4", [("Connection", "close")], b""),
    ]
    with Client(server) as client:
        client.send_raw(b"".join(request_bytes(*r) for r in requests))
        replies = []
        for n, (method, target, headers, body) in enumerate(requests, start=1):
            client.request(method, target, headers, body, send=False)
            replies.append(client.response(f"pipelined request {n} of 4 ({method} {target})"))
            if n < len(requests):
                client.next_cycle(f"pipelined request {n} of 4")
        client.expect_closed("the last pipelined response")
    bodies = [r.body for r in replies]
    check(bodies[0] == b"first", f"pipelined POST /echo sent back {bodies[0][:40]!r}, not b'first'")
    check(bodies[1] == b"Hello, world!\n", f"the second pipelined answer was {bodies[1][:40]!r}")
    check(replies[2].headers.get("content-length") == "14",
          "the pipelined HEAD / should say Content-Length: 14")
    check(b"target: /echo?n=4" in bodies[3], f"the fourth pipelined answer was {bodies[3][:60]!r}")


################################################################
# Timeouts, stalls and robustness
################################################################


def test_idle_connections_close_quietly(impatient_server: Running) -> None:
    """closes a silent connection after the timeout (1 s in this check) without sending anything

    Look at: read_head(): a TimeoutError with nothing in the buffer just ends the connection.
    """
    server = impatient_server
    with Client(server, TIMEOUT_WAIT) as silent, Client(server, TIMEOUT_WAIT) as kept:
        kept.request("GET", "/")
        kept.response("GET /")
        for what, client in (("a connection that never sent a request", silent),
                             ("a kept-alive connection after its response", kept)):
            rest = client.rest_until_close(what)
            if rest:
                fail(f"{what}: the server sent {rest[:40]!r} before closing;"
                     " a silent connection is closed without a word")


def test_stalled_requests_get_408(impatient_server: Running) -> None:
    """answers 408 when a client stops halfway through a head or a body (1 s in this check), then closes

    Look at: read_head() and read_body(): a TimeoutError in the middle of a request is a 408.
    """
    server = impatient_server
    with Client(server, TIMEOUT_WAIT) as in_head, Client(server, TIMEOUT_WAIT) as in_body:
        in_head.send_raw(b"GET / HTTP/1.1\r\n" + HOST_LINE + b"X-Unfini")
        in_body.send_raw(b"POST /echo HTTP/1.1\r\n" + HOST_LINE + b"Content-Length: 10\r\n\r\nabc")
        stalled = (("a head that stops halfway", in_head), ("a body that stops at 3 of 10 bytes", in_body))
        for what, client in stalled:
            client.expect()
            reply = client.response(what)
            assert_status(reply, 408, what)
            if not reply.says_close():
                fail(f"{what}: the 408 response doesn't say Connection: close")
            client.expect_closed(f"the 408 response to {what}")
    assert_still_serving(server, "two stalled requests")


def test_stalled_clients_block_no_one(patient_server: Running) -> None:
    """keeps answering others at once while some clients stall: silent, mid-head, mid-body

    Look at: serve() gives each connection its own thread; keep it that way.
    """
    what = "GET / while three other clients stall"
    with Client(patient_server) as silent, Client(patient_server) as mid_head, Client(patient_server) as mid_body:
        mid_head.send_raw(b"GET / HTTP/1.1\r\n" + HOST_LINE)
        mid_body.send_raw(b"POST /echo HTTP/1.1\r\n" + HOST_LINE + b"Content-Length: 100\r\n\r\nabc")
        # The server gives each stalled client 30 s: one that served clients in turn would
        # reach this one only after that, long after the 10 s this client waits.
        with Client(patient_server, timeout=10) as healthy:
            healthy.request("GET", "/")
            reply = healthy.response(what)
        assert_status(reply, 200, what)
        # An ordering, not a time: the answer came while all three were still waiting.
        for stalled, client in (("the silent client", silent), ("the client stalled mid-head", mid_head),
                                ("the client stalled mid-body", mid_body)):
            if select.select([client.sock], [], [], 0)[0]:
                fail(f"{stalled} was answered or closed before GET / was: the server dealt with it first")


def test_random_bytes(server: Running) -> None:
    """never crashes: 20 blobs of random bytes, each ending in an empty line, all get a 400

    Look at: parse_request_line() and parse_headers(): malformed input is a 400, never an exception.
    """
    rng = random.Random(9112)
    for n in range(1, 21):
        blob = rng.randbytes(200) + b"\r\n\r\n"
        refused(server, blob, 400, f"random blob {n} of 20 ({blob[:12]!r}...)")
