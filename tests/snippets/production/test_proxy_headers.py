"""proxy_headers: behind Nginx the app sees Nginx as the client unless headers say
otherwise; Gunicorn believes X-Forwarded-Proto only from --forwarded-allow-ips."""

from __future__ import annotations

import pytest

from snippets.production.proxy_headers import CLIENT_ADDRESS, HOST_HEADER, cases, default_allow_ips

pytestmark = pytest.mark.system("nginx")


@pytest.fixture(scope="module")
def seen() -> dict:
    return dict(cases())


def test_both_servers_trust_this_machine_by_default(snippet_output) -> None:
    # proxy.md's key point: "127.0.0.1 and ::1 by default", for Gunicorn and uvicorn alike.
    assert default_allow_ips() == {"gunicorn": "127.0.0.1,::1", "uvicorn": "127.0.0.1,::1"}
    first = snippet_output("proxy_headers.py").splitlines()[0]
    assert first == "--forwarded-allow-ips by default: gunicorn 127.0.0.1,::1; uvicorn 127.0.0.1,::1"


def test_straight_to_gunicorn_the_app_sees_the_client(seen: dict) -> None:
    assert seen["straight to Gunicorn"] == {"REMOTE_ADDR": CLIENT_ADDRESS, "HTTP_HOST": HOST_HEADER,
                                            "wsgi.url_scheme": "http"}


def test_proxy_pass_alone_hides_client_host_and_scheme(seen: dict) -> None:
    assert seen["HTTPS to Nginx, proxy_pass alone"] == {"REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "app",
                                                        "wsgi.url_scheme": "http"}


def test_forwarding_headers_from_a_trusted_proxy(seen: dict) -> None:
    got = seen["HTTPS to Nginx, forwarding headers"]
    assert got["HTTP_HOST"] == HOST_HEADER and got["wsgi.url_scheme"] == "https"
    assert got["HTTP_X_FORWARDED_FOR"] == CLIENT_ADDRESS
    assert got["REMOTE_ADDR"] == "127.0.0.1"  # Gunicorn leaves X-Forwarded-For to the app
    # Gunicorn does not read RFC 7239's Forwarded: it reaches the app untouched.
    assert got["HTTP_FORWARDED"] == f"for={CLIENT_ADDRESS};proto=https;host={HOST_HEADER}"


def test_nginx_appends_to_a_lying_x_forwarded_for(seen: dict) -> None:
    assert seen["... and a client that lies"]["HTTP_X_FORWARDED_FOR"] == f"203.0.113.9, {CLIENT_ADDRESS}"


def test_the_default_trusts_anything_on_127_0_0_1(seen: dict) -> None:
    assert seen["a liar on 127.0.0.1, straight to Gunicorn"]["wsgi.url_scheme"] == "https"


def test_an_untrusted_proxy_header_is_passed_on_but_not_believed(seen: dict) -> None:
    got = seen["forwarding headers, Nginx not in --forwarded-allow-ips"]
    assert got["wsgi.url_scheme"] == "http" and got["HTTP_X_FORWARDED_PROTO"] == "https"
