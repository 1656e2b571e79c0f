"""Step 2: keep the app's headers, its own Server-Timing included, in any shape the spec allows."""

from __future__ import annotations

from mw_checks import metrics, ok, the_metric
from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import fetch


def test_keeps_the_apps_headers(serve: ServeFactory) -> None:
    """keeps every header the app sent, repeated ones included, in the app's order

    Look at: how your send builds the new header list: add to what the app sent, don't replace it
    """
    with serve(app="starlette_app:app") as server:
        reply = ok(fetch(server, "GET", "/headers"), server)
    names = [name.decode("latin-1").lower() for name, _ in reply.headers.raw]
    ours = [name for name in names if name.startswith("x-")]
    assert ours == ["x-first", "x-second", "x-third"], f"the app sent x-first, x-second, x-third; the client got {ours} (all headers: {names})"
    cookies = reply.headers.get_list("set-cookie")
    assert len(cookies) == 2, f"the app sent two Set-Cookie fields; the client got {len(cookies)}: {cookies}"
    assert reply.headers.get("content-type", "").startswith("text/plain"), f"Content-Type is {reply.headers.get('content-type')!r}"
    assert reply.text == "with headers\n", f"the body is {reply.text[:80]!r}"
    the_metric(reply)


def test_keeps_the_apps_server_timing(serve: ServeFactory) -> None:
    """keeps a Server-Timing the app sent, and adds its own metric beside it

    Look at: a second server-timing field, or one value joined with a comma: both mean the same (RFC 9110 §5.3)
    """
    with serve(app="starlette_app:app") as server:
        reply = ok(fetch(server, "GET", "/cached"), server)
    found = {m.name: m for m in metrics(reply)}
    assert "cache" in found, f"the app's own metric cache;desc=\"hit, warm\";dur=0.3 was lost: got {reply.headers.get_list('server-timing')}"
    cache = found["cache"]
    assert cache.params == {"desc": "hit, warm", "dur": "0.3"}, f"the app's own metric arrived changed: {cache.text!r}"
    the_metric(reply)


def test_any_iterable_of_headers(serve: ServeFactory) -> None:
    """adds the header when the app sends its headers as a tuple, or sends none at all

    Look at: message["headers"] may be any iterable of pairs, and is optional (ASGI HTTP spec, "Response Start")
    """
    with serve(app="raw_app:app") as server:
        tupled = ok(fetch(server, "GET", "/tuple-headers"), server)
        bare = ok(fetch(server, "GET", "/no-headers"), server)
    assert tupled.headers.get("x-tuple") == "kept", f"the app's x-tuple header was lost: got {dict(tupled.headers)}"
    assert tupled.text == "tuple\n" and bare.text == "bare\n", "the bodies arrived changed"
    the_metric(tupled)
    the_metric(bare)


def test_leaves_the_apps_list_alone(serve: ServeFactory) -> None:
    """leaves the app's header list as it was: a list reused for every response gets no extra metric

    Look at: does your send change the app's list in place (append, extend, +=), or build a new one?
    """
    with serve(app="raw_app:app") as server:
        replies = [ok(fetch(server, "GET", "/shared"), server) for _ in range(3)]
    for n, reply in enumerate(replies, 1):
        found = [m.name for m in metrics(reply)]
        assert sorted(found) == ["app", "db"], (
            f"response {n} to /shared, whose app reuses one header list, had the metrics {found}, want app and db: "
            "the middleware added to the app's own list")
