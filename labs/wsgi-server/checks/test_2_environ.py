"""The environ: PEP 3333 "environ Variables", seen from an app that reports what it got."""

from __future__ import annotations

from typing import Any

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import fetch
from wsgi_checks import APPS


def environ_of(serve: ServeFactory, path: str, **kwargs: Any) -> dict[str, Any]:
    with serve(app="environ_app:app", app_dir=APPS) as server:
        reply = fetch(server, kwargs.pop("method", "GET"), path, **kwargs)
        assert reply.status_code == 200, f"the environ app answered {reply.status_code} (see the server's output)"
        report = reply.json()
        report["port"] = server.port
        return report


def test_request_line(serve: ServeFactory) -> None:
    """puts the request line into REQUEST_METHOD, SCRIPT_NAME, PATH_INFO and QUERY_STRING

    Look at: build_environ() in server.py
    """
    cgi = environ_of(serve, "/some/page?a=1&b=two%20words", method="DELETE")["cgi"]
    want = {"REQUEST_METHOD": "DELETE", "SCRIPT_NAME": "", "PATH_INFO": "/some/page", "QUERY_STRING": "a=1&b=two%20words"}
    for key, value in want.items():
        assert cgi.get(key) == value, f"{key} is {cgi.get(key, '<missing>')!r}, want {value!r}"


def test_path_info_is_decoded_bytes_as_latin1(serve: ServeFactory) -> None:
    """percent-decodes PATH_INFO into bytes-as-latin-1 text: /caf%C3%A9 becomes '/cafÃ©'

    Look at: build_environ() (PATH_INFO; PEP 3333 "Unicode Issues")
    """
    cgi = environ_of(serve, "/caf%C3%A9/a%20b")["cgi"]
    want = "/caf\u00c3\u00a9/a b"  # the bytes 63 61 66 c3 a9 as five latin-1 characters
    assert cgi.get("PATH_INFO") == want, f"PATH_INFO is {cgi.get('PATH_INFO', '<missing>')!r}, want {want!r}"


def test_headers(serve: ServeFactory) -> None:
    """passes headers as HTTP_* keys (- becomes _), a repeated header's values joined with ', '

    Look at: build_environ() (the loop over request.headers)
    """
    headers = [("X-Lab-Thing", "one"), ("Accept-Language", "fr"), ("X-Repeated", "a"), ("X-Repeated", "b")]
    report = environ_of(serve, "/", headers=headers)
    cgi = report["cgi"]
    want = {"HTTP_X_LAB_THING": "one", "HTTP_ACCEPT_LANGUAGE": "fr", "HTTP_X_REPEATED": "a, b",
            "HTTP_HOST": f"127.0.0.1:{report['port']}"}
    for key, value in want.items():
        assert cgi.get(key) == value, f"{key} is {cgi.get(key, '<missing>')!r}, want {value!r}"


def test_content_type_and_length(serve: ServeFactory) -> None:
    """gives Content-Type and Content-Length as CONTENT_TYPE and CONTENT_LENGTH, without HTTP_

    Look at: build_environ() (CGI's two exceptions)
    """
    cgi = environ_of(serve, "/", method="POST", content=b"hello", headers={"Content-Type": "text/x-lab"})["cgi"]
    assert cgi.get("CONTENT_TYPE") == "text/x-lab", f"CONTENT_TYPE is {cgi.get('CONTENT_TYPE', '<missing>')!r}"
    assert cgi.get("CONTENT_LENGTH") == "5", f"CONTENT_LENGTH is {cgi.get('CONTENT_LENGTH', '<missing>')!r}, want '5'"
    for key in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
        assert key not in cgi, f"{key} should not be in the environ (PEP 3333: CONTENT_* have no HTTP_ prefix)"


def test_server_and_client(serve: ServeFactory) -> None:
    """fills in SERVER_NAME, SERVER_PORT, SERVER_PROTOCOL and REMOTE_ADDR, all as str

    Look at: build_environ() (server_address and client_address)
    """
    report = environ_of(serve, "/")
    cgi = report["cgi"]
    want = {"SERVER_NAME": "127.0.0.1", "SERVER_PORT": str(report["port"]), "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1"}
    for key, value in want.items():
        assert cgi.get(key) == value, f"{key} is {cgi.get(key, '<missing>')!r}, want {value!r}"
    not_str = {key: value for key, value in cgi.items() if str(value).startswith("<not a str")}
    assert not not_str, f"every environ key without a dot must hold a str (PEP 3333): {not_str}"


def test_wsgi_keys(serve: ServeFactory) -> None:
    """sets the wsgi.* keys: version (1, 0), url_scheme, errors, multithread, multiprocess, run_once

    Look at: build_environ() (the wsgi.* keys)
    """
    wsgi = environ_of(serve, "/")["wsgi"]
    want = {"version": "(1, 0)", "url_scheme": "http", "errors is sys.stderr": True, "multithread": True,
            "multiprocess": False, "run_once": False}
    for key, value in want.items():
        assert wsgi.get(key) == value, f"wsgi.{key} is {wsgi.get(key)!r}, want {value!r}"
    assert wsgi["input methods"] == ["read", "readline", "readlines", "__iter__"], \
        f"wsgi.input has only {wsgi['input methods']}"
