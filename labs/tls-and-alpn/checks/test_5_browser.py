"""A browser: Chromium loads the page over TLS and HTTP/2, as ALPN decided."""

from __future__ import annotations

import json
import shutil

import pytest

from onthewire.labs.kit import fail
from tls_checks import get, spki_pin

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def test_chromium_speaks_h2(server, record_property) -> None:
    """Chromium, trusting the server's key, loads the page over h2, and the app says http_version "2"

    Look at: serve.py's certificate and ALPN list: a browser speaks HTTP/2 only over TLS, and only if ALPN selects h2.
    """
    from playwright.sync_api import Error, sync_playwright

    get(server, http2=True)  # the server answers at all (a clearer message than the browser's)
    # Trust exactly this server's public key, as if its CA were installed.
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            f"--ignore-certificate-errors-spki-list={spki_pin(server)}"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=args)
        try:
            page = browser.new_page()
            try:
                page.goto(server.url)
            except Error as e:
                fail(f"Chromium could not load {server.url}: {str(e).splitlines()[0]}")
            protocol = page.evaluate("performance.getEntriesByType('navigation')[0].nextHopProtocol")
            body = page.evaluate("document.body.innerText")
        finally:
            browser.close()
    record_property("measured", f"nextHopProtocol {protocol}; the page said {body.strip()}")
    if protocol != "h2":
        fail(f"Chromium loaded the page over {protocol!r}, not 'h2'")
    try:
        answer = json.loads(body)
    except ValueError:
        fail(f"the page was not the app's JSON: {body[:80]!r}")
    if answer.get("http_version") != "2":
        fail(f"under Chromium the app said {answer}, not http_version '2'")
