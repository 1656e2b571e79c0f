"""Step 4: client.py negotiates ALPN itself and reports what the server selected."""

from __future__ import annotations

import subprocess

from onthewire.labs.kit import fail, import_file
from onthewire.serving import python


def _negotiate(client, server, offer: list[str]) -> str | None:
    try:
        return client.negotiate("127.0.0.1", server.port, str(server.files.ca), offer)
    except Exception as e:  # the learner's code: any error is a finding
        fail(f"negotiate(..., {offer}) raised {e.__class__.__name__}: {e}")


def test_negotiate(server, code_dir) -> None:
    """negotiate() returns the protocol the server selected: h2, http/1.1, or None

    Look at: negotiate() in client.py: context.set_alpn_protocols() before the handshake, selected_alpn_protocol() after it.
    """
    client = import_file(code_dir / "client.py", "learners_client")
    for offer, wanted in ((["h2", "http/1.1"], "h2"), (["http/1.1"], "http/1.1"), (["spdy/3.1"], None)):
        got = _negotiate(client, server, offer)
        if got != wanted:
            fail(f"negotiate() offering {', '.join(offer)} returned {got!r}, not {wanted!r}")


def test_client_prints_selection(server, code_dir) -> None:
    """python client.py --ca CA --port PORT prints "the server selected h2"

    Look at: main() in client.py: it prints what negotiate() returned.
    """
    result = subprocess.run([python(), "client.py", "--ca", str(server.files.ca), "--port", str(server.port)],
                            cwd=code_dir, capture_output=True, text=True, timeout=30)
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()
        fail(f"client.py exited with code {result.returncode}: {lines[-1] if lines else ''}")
    if "selected h2" not in result.stdout:
        fail(f"client.py printed {result.stdout.strip()!r}, without 'selected h2'")
