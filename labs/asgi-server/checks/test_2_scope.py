"""The scope of an HTTP request (HTTP spec, "HTTP Connection Scope"), as scope_app reports it."""

from __future__ import annotations

import json
from typing import Any

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import Connection, exchange, shown, why
from onthewire.serving import Running


def scope_for(
    server: Running, target: str, headers: list[tuple[str, str]] | None = None
) -> tuple[dict[str, Any], dict[str, str], int]:
    """What scope_app saw for one request: (scope, the type of each value, the client's port)."""
    with Connection(server) as connection:
        reply = connection.request("GET", target, headers=headers or [])
        port = connection.sock.getsockname()[1]
    assert reply.status == 200, f"GET {target} answered {reply.status}: {shown(reply.body)}{why(server)}"
    seen = json.loads(reply.body)
    return seen["scope"], seen["types"], port


def test_scope_kind_and_versions(serve: ServeFactory) -> None:
    """gives the scope its type, asgi versions, http_version, method and scheme

    Look at: build_scope() (HTTP spec, "HTTP Connection Scope")
    """
    with serve(app="scope_app:app") as server:
        scope, types, _ = scope_for(server, "/")
        answer = exchange(server, b"POST / HTTP/1.0\r\nContent-Length: 0\r\n\r\n")
    assert scope["type"] == "http", f"scope['type'] is {scope.get('type')!r}, want 'http'"
    assert isinstance(scope.get("asgi"), dict), f"scope['asgi'] is {scope.get('asgi')!r}: want a dict with 'version'"
    asgi = scope["asgi"]
    assert asgi.get("version") == "3.0", f"scope['asgi']['version'] is {asgi.get('version')!r}, want '3.0'"
    assert isinstance(asgi.get("spec_version"), str), \
        f"scope['asgi']['spec_version'] is {asgi.get('spec_version')!r}: want the HTTP spec version you follow, like '2.4'"
    assert scope.get("http_version") == "1.1", f"scope['http_version'] is {scope.get('http_version')!r}, want '1.1'"
    assert scope.get("method") == "GET", f"scope['method'] is {scope.get('method')!r}"
    assert scope.get("scheme") == "http", f"scope['scheme'] is {scope.get('scheme')!r}, want 'http'"
    assert scope.get("root_path") == "", \
        f"scope['root_path'] is {scope.get('root_path')!r}, want '' (mounted at the root)"
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), f"POST / HTTP/1.0 answered {shown(answer[:60])}"
    old = json.loads(body)["scope"]
    assert (old.get("http_version"), old.get("method")) == ("1.0", "POST"), \
        f"for a POST / HTTP/1.0 the scope says http_version {old.get('http_version')!r}, method {old.get('method')!r}"


def test_path_raw_path_and_query_string(serve: ServeFactory) -> None:
    """puts the decoded path, the raw_path as sent and the query_string (bytes) in the scope

    Look at: build_scope(): which parts of request.target are decoded, and which stay bytes
    """
    target = "/caf%C3%A9/a%2Fb?x=%26&y=%C3%A9"
    with serve(app="scope_app:app") as server:
        scope, types, _ = scope_for(server, target)
    assert types.get("path") == "str" and scope["path"] == "/café/a/b", \
        f"GET {target}: scope['path'] is {scope.get('path')!r}, want '/café/a/b' (no query, percent-decoded, UTF-8)"
    assert types.get("raw_path") == "bytes" and scope["raw_path"] == {"bytes": "/caf%C3%A9/a%2Fb"}, \
        f"GET {target}: scope['raw_path'] is {scope.get('raw_path')!r} ({types.get('raw_path')}), " \
        "want b'/caf%C3%A9/a%2Fb'"
    assert types.get("query_string") == "bytes" and scope["query_string"] == {"bytes": "x=%26&y=%C3%A9"}, \
        f"GET {target}: scope['query_string'] is {scope.get('query_string')!r} ({types.get('query_string')}), " \
        "want b'x=%26&y=%C3%A9', not decoded"


def test_headers(serve: ServeFactory) -> None:
    """gives the headers as [name, value] pairs of bytes, names lower-cased, repeats kept in order

    Look at: build_scope() ("headers")
    """
    sent = [("X-Mixed-Case", "Value"), ("X-Dup", "one"), ("X-Dup", "two")]
    with serve(app="scope_app:app") as server:
        scope, _, _ = scope_for(server, "/", headers=sent)
    headers = scope.get("headers")
    assert isinstance(headers, list) and headers, f"scope['headers'] is {headers!r}"
    for pair in headers:
        assert isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, dict) for part in pair), \
            f"each header should be a (name, value) pair of bytes; found {pair!r}"
    pairs = [(name["bytes"], value["bytes"]) for name, value in headers]
    assert ("x-mixed-case", "Value") in pairs, \
        f"want b'x-mixed-case': b'Value' (lower-case name, value as sent); got {pairs}"
    assert [value for name, value in pairs if name == "x-dup"] == ["one", "two"], \
        f"a repeated header must stay two headers, in order; got {pairs}"
    assert any(name == "host" for name, _ in pairs), f"the Host header is missing: {pairs}"


def test_client_and_server(serve: ServeFactory) -> None:
    """puts client and server in the scope as (host, port)

    Look at: build_scope() ("client", "server") and Connection.client / Connection.server
    """
    with serve(app="scope_app:app") as server:
        scope, _, port = scope_for(server, "/")
    assert scope.get("client") == ["127.0.0.1", port], \
        f"scope['client'] is {scope.get('client')!r}, want ('127.0.0.1', {port})"
    assert scope.get("server") == ["127.0.0.1", server.port], \
        f"scope['server'] is {scope.get('server')!r}, want ('127.0.0.1', {server.port})"
