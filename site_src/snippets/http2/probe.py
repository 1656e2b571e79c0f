"""Which server speaks HTTP/2, and how? Five ASGI servers, uvicorn twice (as it starts, and
with its HTTP/2 options), each started twice for real (over TLS, and in cleartext), each asked
in every way a client can ask for HTTP/2:

- TLS, with ALPN offering h2 and http/1.1 (RFC 7301): which protocol did the server pick?
- cleartext with prior knowledge: open with the HTTP/2 preface straight away (RFC 9113 §3.3);
- cleartext with `Upgrade: h2c` (RFC 7540 §3.2, removed by RFC 9113): does 101 come back?

and the app reports the `http_version` in its scope. Every server gets its HTTP/2 options
where it has them (uvicorn's and gunicorn's HTTP/2 are off by default), so the table shows
what each can do.

Run it:  python probe.py        (the servers are probed side by side)
Try:     take `--http2-cleartext both` from gunicorn's command; `--http 2` for granian;
         `--http zttp` alone for uvicorn.
"""

from __future__ import annotations

import socket
import ssl
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path

import h2.config
import h2.connection
import h2.events
import httpx

from onthewire.serving import free_port, python, running
from snippets.http2.tlsfiles import TLSFiles, certificates, client_context

HERE = Path(__file__).parent  # the servers import app.py from here, as `app:app`

# --8<-- [start:commands]
SERVERS = {  # row: (packages, command line, extra options for TLS, for cleartext)
    "uvicorn": (["uvicorn"], "uvicorn app:app --host 127.0.0.1 --port PORT",
                "--ssl-certfile CERT --ssl-keyfile KEY", ""),
    # --http2 needs the zttp parser (a separate package): uvicorn refuses to start without it.
    "uvicorn --http zttp --http2": (["uvicorn", "zttp"],
                                    "uvicorn app:app --host 127.0.0.1 --port PORT --http zttp --http2",
                                    "--ssl-certfile CERT --ssl-keyfile KEY", ""),
    "hypercorn": (["hypercorn"], "hypercorn app:app --bind 127.0.0.1:PORT",
                  "--certfile CERT --keyfile KEY", ""),
    "granian": (["granian"], "granian --interface asgi --host 127.0.0.1 --port PORT app:app",
                "--ssl-certificate CERT --ssl-keyfile KEY", ""),
    "daphne": (["daphne"], "daphne app:app",  # a Twisted endpoint string says where to listen
               "-e ssl:PORT:interface=127.0.0.1:privateKey=KEY:certKey=CERT", "-b 127.0.0.1 -p PORT"),
    # HTTP/2 is off until --http-protocols names h2; cleartext h2c needs --http2-cleartext too.
    "gunicorn -k asgi": (["gunicorn"],
                         "gunicorn -k asgi -b 127.0.0.1:PORT --http-protocols h2,h1 --no-control-socket app:app",
                         "--certfile CERT --keyfile KEY", "--http2-cleartext both"),
}
# --8<-- [end:commands]


def command(name: str, port: int, tls: TLSFiles | None) -> list[str]:
    """The command line for server `name` on `port`, with TLS files or in cleartext."""
    _, line, tls_options, clear_options = SERVERS[name]
    words = f"{line} {tls_options if tls else clear_options}".split()
    fill = {"PORT": str(port), "CERT": str(tls.cert) if tls else "", "KEY": str(tls.key) if tls else ""}
    for placeholder, value in fill.items():
        words = [w.replace(placeholder, value) for w in words]
    return [python(), "-m", *words]


# --8<-- [start:alpn]
def alpn(port: int, files: TLSFiles) -> str:
    """The protocol the server selects when the client offers h2 first, then http/1.1."""
    context = client_context(files, alpn=["h2", "http/1.1"])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            # None: the server ignored ALPN, and both sides fall back to HTTP/1.1
            return tls.selected_alpn_protocol() or "(none): http/1.1"
# --8<-- [end:alpn]


# --8<-- [start:prior]
def prior_knowledge(url: str) -> str:
    """Send the HTTP/2 preface at once on a cleartext connection, as httpx does with http1=False."""
    try:
        with httpx.Client(http1=False, http2=True, timeout=5) as client:
            response = client.get(url)
            return f"{response.http_version}, app sees {response.text.split()[-1]}"
    except (httpx.RemoteProtocolError, httpx.ReadError):
        return "connection closed"  # the server read the preface as a bad HTTP/1.1 request
# --8<-- [end:prior]


# --8<-- [start:upgrade]
def upgrade(port: int) -> str:
    """Ask for h2c with an HTTP/1.1 request; on 101, finish the request in HTTP/2 on stream 1."""
    h2c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    settings = h2c.initiate_upgrade_connection()  # base64url SETTINGS payload; stream 1 is taken
    request = (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               b"Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
               b"HTTP2-Settings: " + settings + b"\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return "connection closed"
            data += chunk
        head, rest = data.split(b"\r\n\r\n", 1)
        status = head.split(b"\r\n")[0].decode()
        if " 101 " not in status + " ":
            return f"{status.split()[1]}, stays HTTP/1.1"
        # After 101 both sides speak HTTP/2: the client sends its preface, the server answers
        # the upgraded request on stream 1.
        sock.sendall(h2c.data_to_send())
        body = b""
        while True:
            for event in h2c.receive_data(rest):
                if isinstance(event, h2.events.DataReceived):
                    body += event.data
                    h2c.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                if isinstance(event, h2.events.StreamEnded) and event.stream_id == 1:
                    return f"101, then HTTP/2, app sees {body.decode().split()[-1]}"
            sock.sendall(h2c.data_to_send())
            rest = sock.recv(65536)
            if not rest:
                return "101, then closed"
# --8<-- [end:upgrade]


# --8<-- [start:probe]
def probe(name: str, files: TLSFiles) -> dict[str, str]:
    """Start `name` over TLS and ask with ALPN; start it in cleartext and ask both h2c ways."""
    row = {"server": name, "versions": " + ".join(f"{p} {version(p)}" for p in SERVERS[name][0])}
    port = free_port()
    with running(command(name, port, files), port=port, cwd=HERE):
        row["TLS, ALPN h2 + http/1.1"] = alpn(port, files)
        with httpx.Client(http2=True, verify=client_context(files), timeout=5) as client:
            row["app sees over TLS"] = client.get(f"https://127.0.0.1:{port}/").text.split()[-1]
    port = free_port()
    with running(command(name, port, None), port=port, cwd=HERE) as server:
        row["h2c, prior knowledge"] = prior_knowledge(server.url)
        row["h2c, Upgrade"] = upgrade(port)
    return row
# --8<-- [end:probe]


def table(rows: list[dict[str, str]]) -> str:
    """The rows as a Markdown table."""
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(row[c] for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def probe_all() -> list[dict[str, str]]:
    """Every server, probed side by side (each in its own thread, each stopped when done)."""
    with certificates() as files, ThreadPoolExecutor(max_workers=len(SERVERS)) as pool:
        return list(pool.map(lambda name: probe(name, files), SERVERS))


if __name__ == "__main__":
    print(table(probe_all()))
    print()
    print(f"Clients: httpx {version('httpx')}, h2 {version('h2')}, Python's ssl on {ssl.OPENSSL_VERSION}.")
