"""HTTP/2 over TLS, chosen with ALPN: the optional --certfile and --keyfile (given code)."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import TIMEOUT
from snippets.http2.tlsfiles import certificates, client_context


def test_tls_with_alpn(serve_app: ServeFactory) -> None:
    """serves HTTP/2 over TLS with --certfile and --keyfile, when the client chooses h2 with ALPN

    Look at: tls_context() and serve() (given): did an edit break them?
    """
    with certificates() as files:
        args = ["--certfile", str(files.cert), "--keyfile", str(files.key)]
        with serve_app(args=args) as server:
            url = f"https://{server.host}:{server.port}/tls"
            with httpx.Client(verify=client_context(files), http2=True, timeout=TIMEOUT) as c:
                try:
                    reply = c.get(url)
                except httpx.HTTPError as e:
                    raise AssertionError(f"GET {url}: no proper response ({type(e).__name__}: {e})") from None
    assert reply.http_version == "HTTP/2", f"over TLS the client and server agreed on {reply.http_version}, want HTTP/2"
    assert reply.text == "GET /tls HTTP/2\n", f"GET /tls over TLS got {reply.text!r}"


def _spki_pin(key: Path) -> str:
    """The base64 SHA-256 of the key's public half, as Chromium's --ignore-certificate-errors-spki-list takes it."""
    public = subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout", "-outform", "der"],
                            capture_output=True, check=True).stdout
    return base64.b64encode(hashlib.sha256(public).digest()).decode()


@pytest.mark.browser
def test_a_browser_over_tls(serve_app: ServeFactory) -> None:
    """serves a browser: Chromium, trusting the server's key, loads a page over h2

    Look at: tls_context() (given) offers h2 with ALPN; then the response path: HEADERS with :status, DATA, END_STREAM.
    """
    from playwright.sync_api import Error, sync_playwright

    with certificates() as files:
        args = ["--certfile", str(files.cert), "--keyfile", str(files.key)]
        chromium = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    f"--ignore-certificate-errors-spki-list={_spki_pin(files.key)}"]
        with serve_app(args=args) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=chromium)
            try:
                page = browser.new_page()
                url = f"https://{server.host}:{server.port}/tls"
                try:
                    page.goto(url, timeout=15_000)
                except Error as e:
                    raise AssertionError(f"Chromium could not load {url}: {str(e).splitlines()[0]}") from None
                protocol = page.evaluate("performance.getEntriesByType('navigation')[0].nextHopProtocol")
                body = page.evaluate("document.body.innerText")
            finally:
                browser.close()
    assert protocol == "h2", f"Chromium loaded the page over {protocol!r}, want 'h2'"
    assert body.strip() == "GET /tls HTTP/2", f"Chromium got {body!r}"
