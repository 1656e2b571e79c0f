"""Stopping gracefully on SIGTERM and SIGINT."""

from __future__ import annotations

import signal
from pathlib import Path

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import (TIMEOUT, Connection, connect, exit_status, read_until, read_until_closed, refuses_connections, shown,
                                wait_for_exit, wait_for_file)


def events(markers: Path) -> list[str]:
    path = markers / "events"
    return path.read_text().splitlines() if path.exists() else []


def test_sigterm_lets_requests_finish(serve: ServeFactory, markers: Path) -> None:
    """on SIGTERM stops accepting, lets the request in progress finish, then shuts the app down and exits 0

    Look at: serve() (the signal handlers) and Server.shutdown()
    """
    with serve(app="lifespan_app:app", args=["--grace", "5"]) as server:
        with connect(server) as sock:
            sock.sendall(b"GET /slow HTTP/1.1\r\nHost: lab\r\n\r\n")
            assert wait_for_file(markers / "events", containing="slow request started"), "the app never got the request"
            server.process.send_signal(signal.SIGTERM)
            try:
                refused = refuses_connections(server)
            finally:
                (markers / "go").touch()  # the app may finish its response now
            answer = read_until_closed(sock, timeout=TIMEOUT + 1)
        code = wait_for_exit(server, 3)
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"finished\n"), \
        f"the request in progress at SIGTERM should get its whole response; got {shown(answer)}"
    head = answer.partition(b"\r\n\r\n")[0].lower()
    # RFC 9112 §9.6: a server that will close the connection after a response says so in it.
    assert b"\r\nconnection: close" in head, \
        f"the response finished during the shutdown should say Connection: close; its head was {shown(head)}"
    assert refused, f"the server went on accepting connections for {TIMEOUT:g} s after SIGTERM"
    assert code == 0, f"after SIGTERM the server {exit_status(code)}, want code 0" if code is not None else \
        "the server was still running 3 s after its last request finished"
    assert events(markers)[-2:] == ["slow request finished", "shutdown"], \
        f"want the request to finish, then the app's lifespan shutdown; the app's events: {events(markers)}"


def test_shutdown_deadline(serve: ServeFactory, markers: Path) -> None:
    """gives up on a request still running --grace seconds after SIGTERM, and still exits 0

    Look at: Server.shutdown() (the deadline, then cancelling what is left)
    """
    with serve(app="lifespan_app:app") as server, connect(server) as sock:  # --grace 1
        sock.sendall(b"GET /forever HTTP/1.1\r\nHost: lab\r\n\r\n")
        assert wait_for_file(markers / "events", containing="endless request started"), "the app never got the request"
        server.process.send_signal(signal.SIGTERM)
        code = wait_for_exit(server, 1 + 3)
    assert code is not None, "the server was still running 4 s after SIGTERM with --grace 1: is there a deadline?"
    assert code == 0, f"after SIGTERM the server {exit_status(code)}, want code 0"
    assert "endless request cancelled" in events(markers), f"the endless request was never cancelled: {events(markers)}"
    assert "shutdown" in events(markers), f"the app never got lifespan.shutdown: {events(markers)}"


def test_sigint_with_idle_connection(serve: ServeFactory, markers: Path) -> None:
    """on SIGINT (Ctrl-C) closes an idle keep-alive connection at once, lets the request in progress finish, and exits 0

    Look at: serve() (SIGINT too) and Server.shutdown() (connection.idle)
    """
    # Neither the grace period nor the idle timeout ends within the check's wait: only closing
    # idle connections at once does.
    with serve(app="lifespan_app:app", args=["--grace", "5", "--timeout", "5"]) as server, Connection(server) as idle:
        assert idle.request("GET", "/").status == 200
        with connect(server) as busy:
            busy.sendall(b"GET /slow HTTP/1.1\r\nHost: lab\r\n\r\n")
            assert wait_for_file(markers / "events", containing="slow request started"), "the app never got the request"
            server.process.send_signal(signal.SIGINT)
            # The slow request can't finish before the check says "go": an idle connection
            # closed by then was closed at once, not when the request ended or the grace ran out.
            try:
                read_until_closed(idle.sock)
            except AssertionError:
                raise AssertionError(f"the idle keep-alive connection was still open {TIMEOUT:g} s after SIGINT, "
                                     "while a request was in progress: close idle connections at once") from None
            finally:
                (markers / "go").touch()  # the app may finish its response now
            answer = read_until_closed(busy, timeout=TIMEOUT + 1)
        code = wait_for_exit(server, 3)
        output = server.output()
    assert answer.startswith(b"HTTP/1.1 200") and answer.endswith(b"finished\n"), \
        f"the request in progress at SIGINT should get its whole response; got {shown(answer)}"
    assert code is not None, "the server was still running 3 s after its last request finished"
    assert code == 0, f"after SIGINT the server {exit_status(code)}, want code 0"
    assert "Traceback" not in output, f"after SIGINT the server printed a traceback: {output[-300:]!r}"
    assert "shutdown" in events(markers), f"the app never got lifespan.shutdown: {events(markers)}"


def test_sigterm_while_a_refused_client_sends(serve: ServeFactory) -> None:
    """on SIGTERM exits 0, without a traceback, while a client refused with 413 still holds its connection

    Look at: Server.shutdown() and serve(); the given Connection.close() goes on reading what a refused client sends
    """
    with serve(app="body_app:app") as server, connect(server) as sock:
        sock.sendall(b"POST /length HTTP/1.1\r\nHost: lab\r\nContent-Length: 2000000\r\n\r\n" + b"x" * 65536)
        answer = read_until(sock, b"\r\n\r\n", "the 413 for a Content-Length of 2 MB")
        # The client neither sends the rest nor closes: the server is closing the connection
        # slowly (a lingering close) when it is told to stop.
        server.process.send_signal(signal.SIGTERM)
        code = wait_for_exit(server, 3)
        output = server.output()
    assert answer.startswith(b"HTTP/1.1 413"), f"a Content-Length of 2 MB got {shown(answer[:60])}, want 413"
    assert code is not None, "the server was still running 3 s after SIGTERM"
    assert code == 0, f"after SIGTERM the server {exit_status(code)}, want code 0"
    assert "Traceback" not in output, f"after SIGTERM the server printed a traceback: {output[-300:]!r}"
