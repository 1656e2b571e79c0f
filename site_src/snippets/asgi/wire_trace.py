"""`wire trace APP`, run for real: what you see when you trace an app of your own.

`wire trace` imports APP (module:attribute, from the current folder, as uvicorn does), wraps
it in the course's tracer (onthewire.trace.traced) and serves it with uvicorn on 127.0.0.1
(port 8000 unless you pass --port). With --wsgi, it serves a WSGI app with wsgiref and
traces the WSGI calls instead. Here `wire` runs as a subprocess on a free port; httpx sends
one request with a 200-byte body; SIGTERM stops it, as Ctrl-C would.

Run it:  python wire_trace.py
Try:     in this folder, `wire trace by_hand:app`, then `curl -d hello http://127.0.0.1:8000/ada`
         in another terminal; Ctrl-C, then the same with `wire trace --wsgi` in ../wsgi.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import httpx

from onthewire.serving import free_port, running

HERE = Path(__file__).parent
WIRE = str(Path(sys.executable).parent / "wire")
BODY = b"0123456789" * 20  # longer than the 60 bytes the trace shows


# --8<-- [start:run]
def wire_trace(app: str, *options: str, cwd: Path = HERE) -> str:
    """Run `wire trace [OPTIONS] APP` in `cwd`, POST BODY to /ada, stop it; what it printed."""
    port = free_port()
    with running([WIRE, "trace", "--port", str(port), *options, app], port=port, cwd=cwd) as server:
        httpx.post(f"{server.url}/ada", content=BODY, headers={"content-type": "text/plain"})
    return server.output()
# --8<-- [end:run]


def masked(output: str) -> str:
    """Times and ports change on every run: show placeholders."""
    output = re.sub(r"^ *\d+\.\d{3}  ", "   s.sss  ", output, flags=re.MULTILINE)
    output = re.sub(r"(SERVER_PORT +)'\d+'", r"\1'<port>'", output)
    return re.sub(r"(127\.0\.0\.1):\d+", r"\1:<port>", output)


if __name__ == "__main__":
    print("$ wire trace by_hand:app")
    print(masked(wire_trace("by_hand:app")), end="")
    print()
    print("$ wire trace --wsgi by_hand:app      (in ../wsgi)")
    print(masked(wire_trace("by_hand:app", "--wsgi", cwd=HERE.parent / "wsgi")), end="")
