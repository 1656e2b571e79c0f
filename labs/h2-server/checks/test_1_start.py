"""Starting the server: the APP argument, and one request over HTTP/2."""

from __future__ import annotations

from onthewire.labs.harness import RunLab, ServeFactory
from onthewire.labs.kit import fetch, refuses_unimportable_apps, why


def test_app_that_cannot_be_imported(run_lab: RunLab) -> None:
    """exits with code 2 and a one-line message when APP can't be imported (no traceback)

    Look at: load_app() in server.py (given): did an edit break it?
    """
    refuses_unimportable_apps(run_lab)


def test_serves_hello_over_http2(serve: ServeFactory) -> None:
    """answers httpx over HTTP/2 by prior knowledge (HEADERS and DATA on a stream of its own)

    Look at: Connection.request_received() (a Stream and its task) and Stream.send()
    """
    with serve() as server:
        reply = fetch(server, "GET", "/?name=Ada", http2=True)
    assert reply.http_version == "HTTP/2", f"the response came over {reply.http_version}, want HTTP/2"
    assert reply.status_code == 200, f"GET / answered {reply.status_code}, want 200"
    assert reply.text.startswith("Hello, Ada!"), f"unexpected body {reply.text[:80]!r}"
    assert "HTTP/2" in reply.text, f"the app should see http_version '2' in its scope; it said {reply.text!r}"


def test_response_headers(serve_app: ServeFactory) -> None:
    """sends the app's status and headers as HTTP/2 wants them: names lower-case, no connection-specific fields

    The app answers 201 with `Content-Type` and `X-Served-By` written in mixed case, as Django
    does, and with `Connection` and `Keep-Alive`, which HTTP/2 forbids (RFC 9113 §8.2.2).

    Look at: Stream.send(): the :status from the app's message, each name lower-cased, HOP_BY_HOP left out
    """
    with serve_app() as server:
        reply = fetch(server, "GET", "/headers", http2=True)
    assert reply.status_code == 201, f"the app answered 201; the client got {reply.status_code}{why(server)}"
    assert reply.headers.get("x-served-by") == "h2_apps", \
        f"the app's X-Served-By header did not arrive; the headers were {dict(reply.headers)}"
    sent = sorted(name for name in reply.headers if name.lower() in ("connection", "keep-alive"))
    assert not sent, f"the response carried {', '.join(sent)}, which HTTP/2 forbids (RFC 9113 §8.2.2)"
