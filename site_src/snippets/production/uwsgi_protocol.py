"""The uwsgi protocol: how Nginx talks to uWSGI with `uwsgi_pass` instead of HTTP.

With --socket, uWSGI does not speak HTTP: it reads uwsgi packets. A packet is a 4-byte
header (modifier1: one byte, 0 for a WSGI request; the size of what follows: two bytes,
little-endian; modifier2: one byte) followed by the request's variables, each a 2-byte
length and the bytes of a name, then of a value: the CGI-style names that become the
WSGI environ. The request body follows the packet. The response comes back as plain HTTP.

Nginx builds the variables from its `uwsgi_param` lines (servers.py shows them), so the app
gets REMOTE_ADDR and the rest as Nginx states them, with no X-Forwarded-* header to trust
or not. Here: a request through Nginx, a packet built by hand, what uWSGI makes of plain
HTTP sent to its uwsgi socket, and uWSGI's own HTTP router (--http), which is a process
that speaks HTTP to clients and the uwsgi protocol to the workers.

Run it:  python uwsgi_protocol.py
Try:     add `uwsgi_param HTTPS on;` to the location and see wsgi.url_scheme.
"""

from __future__ import annotations

import re
import socket
import struct

import httpx

from onthewire.serving import HOST
from snippets.production.servers import nginx, shown, uwsgi, uwsgi_command

CLIENT_ADDRESS = "127.0.0.2"


# --8<-- [start:packet]
def packet(variables: dict[str, str]) -> bytes:
    body = b""
    for name, value in variables.items():
        for text in (name.encode(), value.encode()):
            body += struct.pack("<H", len(text)) + text  # 2-byte length, little-endian
    return struct.pack("<BHB", 0, len(body), 0) + body  # modifier1, size, modifier2
# --8<-- [end:packet]

REQUEST = {"REQUEST_METHOD": "GET", "PATH_INFO": "/environ", "QUERY_STRING": "",
           "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "shop.example", "REMOTE_ADDR": "192.0.2.7"}


def _exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection((HOST, port), timeout=10) as sock:
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


# --8<-- [start:demo]
def demo() -> dict:
    with uwsgi("--processes", "1", socket="--socket") as app:  # the uwsgi protocol, not HTTP
        with nginx(app.port, location="uwsgi") as proxy:
            transport = httpx.HTTPTransport(local_address=CLIENT_ADDRESS)
            with httpx.Client(transport=transport, timeout=10) as client:
                through_nginx = client.get(f"{proxy.url}/environ", headers={"Host": "shop.example"}).json()
        by_hand = _exchange(app.port, packet(REQUEST))
        plain_http = _exchange(app.port, b"GET / HTTP/1.1\r\nHost: shop.example\r\n\r\n")
        app.wait_for_output("invalid request block size")
        complaint = next(line for line in app.output().splitlines() if "invalid request block size" in line)
    with uwsgi("--processes", "1", socket="--http") as router:  # HTTP router + a uwsgi socket
        routed = httpx.get(router.url, timeout=10).status_code
        startup = [line for line in router.output().splitlines() if "spawned" in line or "auto-assigned" in line]
    return {"through_nginx": through_nginx, "by_hand": by_hand, "plain_http": plain_http,
            "complaint": complaint, "routed": routed, "router_log": startup}
# --8<-- [end:demo]


if __name__ == "__main__":
    got = demo()
    print(f"through Nginx (uwsgi_pass), the client on {CLIENT_ADDRESS}:")
    print(f"  {got['through_nginx']}")
    first = packet(REQUEST)
    print(f"a packet by hand, {len(first)} bytes; its header and first variable:")
    print(f"  {first[:4]!r} {first[4:25]!r}")
    status, _, body = got["by_hand"].partition(b"\r\n\r\n")
    print(f"  uWSGI answers: {status.splitlines()[0]!r}, then {body.decode()}")
    print(f"plain HTTP to the uwsgi socket: {len(got['plain_http'])} bytes back; the log says:")
    print(f"  {got['complaint']}")
    print(f"  'GET ' read as a header: modifier1={ord('G')} ('G'), "
          f"size={int.from_bytes(b'ET', 'little')} (b'ET', little-endian)")
    print(shown(uwsgi_command("uwsgi", "PORT", "--processes", "1", socket="--http")))
    print(f"  GET / got {got['routed']}; the log says:")
    for line in got["router_log"]:
        print("  " + re.sub(r"(pid: |127\.0\.0\.1:)\d+", r"\1N", line).replace(" fd 3", ""))
