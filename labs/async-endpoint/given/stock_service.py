"""A slow stock service to talk to while you work: the "upstream" of this lab.

GET /stock/SKU answers {"sku": "SKU", "in_stock": N} after DELAY seconds; a SKU that starts
with "sold-out" has 0 in stock, any other has as many as its name has characters.
GET /stock/broken answers 500, to try the error path. It keeps connections alive
(HTTP/1.1), so a client that reuses its connections is served on the same one.

serve.py starts it beside your app. You don't need to change it.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DELAY = 0.2  # seconds the stock service takes to answer


class StockHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection may carry many requests

    def do_GET(self) -> None:
        time.sleep(DELAY)  # a thread per connection here, so this holds no one else up
        sku = self.path.removeprefix("/stock/")
        if not self.path.startswith("/stock/") or not sku:
            self.answer(404, {"error": "no such path"})
        elif sku == "broken":
            self.answer(500, {"error": "the stock database is down"})
        else:
            self.answer(200, {"sku": sku, "in_stock": 0 if sku.startswith("sold-out") else len(sku)})

    def answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        pass  # quiet: the app's own log is the one to read


class StockServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # listen backlog: room for a burst of new connections (default 5)


@contextlib.contextmanager
def running(host: str = "127.0.0.1") -> Iterator[str]:
    """Run the stock service on a free port in a background thread; yield its URL."""
    server = StockServer((host, 0), StockHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
