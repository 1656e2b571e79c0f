"""Message size limits, on both sides: uvicorn started with `--ws-max-size 1024` closes a
connection with 1009 (message too big) when a client sends more, and it does so from the
frame's header, before the payload arrives. The `websockets` client has a limit of its own
(`max_size`, 1 MiB by default) and closes with 1009 too.

Without a limit, one client can make a server buffer a message of any size: RFC 6455 allows
lengths up to 2**63 bytes (§5.2), and §10.4 asks implementations to set limits.

Run it:  python size_limit.py
Try:     start uvicorn without --ws-max-size: what is its default limit?
"""

from __future__ import annotations

from websockets.exceptions import ConnectionClosedError
from websockets.sync.client import connect

from onthewire.serving import free_port, python, running
from snippets.http import rawhttp
from snippets.websockets import wsframes

KEY = "dGhlIHNhbXBsZSBub25jZQ=="
MASK_KEY = bytes.fromhex("37fa213d")


# --8<-- [start:server]
def uvicorn(*options: str) -> list[str]:
    return [python(), "-m", "uvicorn", "snippets.websockets.echo_app:app", "--host", "127.0.0.1", *options]
# --8<-- [end:server]


def send_and_echo(ws_url: str, size: int, client_max: int | None = 2**20) -> str:
    """Send `size` characters, wait for the echo: what happened, in a few words."""
    # --8<-- [start:client]
    try:
        with connect(ws_url, max_size=client_max) as websocket:
            websocket.send("x" * size)
            return f"echoed {len(websocket.recv(timeout=5))} characters"
    except ConnectionClosedError as closed:
        by = "the server" if closed.rcvd else "the client"
        return f"closed by {by} with {(closed.rcvd or closed.sent).code}"
    # --8<-- [end:client]


def announce_huge(url: str) -> wsframes.Frame:
    """Send only the 14-byte header of a frame that claims 2**40 bytes, and read the answer."""
    # FIN + binary; MASK + 127: a 64-bit length follows; then the masking key
    header = bytes([0x82, 0x80 | 127]) + (2**40).to_bytes(8, "big") + MASK_KEY
    with rawhttp.connect(url) as sock:
        reader = rawhttp.Reader(sock)
        sock.sendall(wsframes.handshake_request("chat.test", "/echo", KEY))
        assert rawhttp.read_response(reader).status == 101
        sock.sendall(header)
        return wsframes.read_frame(reader)


def main() -> None:
    port = free_port()
    with running(uvicorn("--port", str(port), "--ws-max-size", "1024"), port=port) as server:
        ws_url = server.url.replace("http://", "ws://") + "/echo"
        print("uvicorn --ws-max-size 1024")
        for size in (1000, 2000):
            print(f"  client sends {size:>7} characters: {send_and_echo(ws_url, size)}")
        frame = announce_huge(server.url)
        print(f"  client sends only a header announcing 2**40 bytes: {frame.kind} {frame.close_code}")
    port = free_port()
    with running(uvicorn("--port", str(port)), port=port) as server:
        ws_url = server.url.replace("http://", "ws://") + "/echo"
        print("uvicorn with its default limit; the client's max_size is 1 MiB")
        size = 1_500_000
        print(f"  client sends {size} characters: {send_and_echo(ws_url, size)}")


if __name__ == "__main__":
    main()
