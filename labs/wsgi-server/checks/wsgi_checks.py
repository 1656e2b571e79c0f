"""What only this lab's checks share. The clients come from the kit (onthewire.labs.kit): httpx
for ordinary requests, raw sockets where the bytes on the wire are the point, framed by h11 (a
strict HTTP/1.1 parser) when a connection carries several responses.
"""

from __future__ import annotations

from pathlib import Path

APPS = Path(__file__).parent / "apps"  # the apps the checks serve: pass as app_dir=APPS
