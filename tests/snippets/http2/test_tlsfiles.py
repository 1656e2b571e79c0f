"""tlsfiles: a CA and a 127.0.0.1 certificate made with openssl; clients verify it for real."""

from __future__ import annotations

import socket
import ssl
import threading

import pytest

from snippets.http2.tlsfiles import certificates, client_context


def test_a_client_trusting_the_ca_verifies_the_server_and_negotiates_alpn() -> None:
    with certificates() as files:
        server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        server_context.load_cert_chain(files.cert, files.key)
        server_context.set_alpn_protocols(["h2", "http/1.1"])
        with socket.create_server(("127.0.0.1", 0)) as listener:
            port = listener.getsockname()[1]
            chosen: list[str | None] = []

            def serve() -> None:
                conn, _ = listener.accept()
                with server_context.wrap_socket(conn, server_side=True) as tls:
                    chosen.append(tls.selected_alpn_protocol())
                    tls.recv(1)

            thread = threading.Thread(target=serve)
            thread.start()
            with socket.create_connection(("127.0.0.1", port)) as raw:
                with client_context(files, ["h2", "http/1.1"]).wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                    assert tls.selected_alpn_protocol() == "h2"
                    tls.sendall(b"x")
            thread.join(timeout=5)
        assert chosen == ["h2"]


def test_a_default_client_rejects_the_certificate() -> None:
    with certificates() as files:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(files.cert, files.key)
        with socket.create_server(("127.0.0.1", 0)) as listener:
            port = listener.getsockname()[1]

            def serve() -> None:
                conn, _ = listener.accept()
                try:
                    context.wrap_socket(conn, server_side=True).close()
                except ssl.SSLError:
                    conn.close()

            thread = threading.Thread(target=serve)
            thread.start()
            with socket.create_connection(("127.0.0.1", port)) as raw:
                with pytest.raises(ssl.SSLCertVerificationError):
                    ssl.create_default_context().wrap_socket(raw, server_hostname="127.0.0.1")
            thread.join(timeout=5)


def test_prints_the_certificate_names(snippet_output) -> None:
    out = snippet_output("tlsfiles.py")
    assert "subject=CN = 127.0.0.1" in out and "IP Address:127.0.0.1, DNS:localhost" in out
