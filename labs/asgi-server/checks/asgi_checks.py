"""What only this lab's checks share. The clients come from the kit (onthewire.labs.kit): httpx
for ordinary requests, h11 (a strict HTTP/1.1 parser) when a connection carries several
responses or the framing is the point, and raw sockets where the timing of the bytes is the
point.
"""

from __future__ import annotations

from pathlib import Path

APPS = Path(__file__).parent / "apps"  # the apps the checks serve; `serve` puts them on the import path
SERVER_TIMEOUT = 1.0  # the --timeout the checks give the server: how long it may let a client stay silent
