"""A real request, traced: the scope uvicorn builds, and the body as http.request messages.

The app is by_hand.py's. uvicorn serves it wrapped in the course's tracer
(onthewire.trace.traced), which prints every scope, receive() and send() as it happens.
First, httpx POSTs a body with a Content-Length: the app receives it in one message. Then
httpx uploads a body in three pieces (Transfer-Encoding: chunked), sending each piece only
once the app has read the one before: the app receives one http.request message per piece,
with more_body=True until the body is over (ASGI HTTP spec, "Request - receive event").

Run it:  python request_body.py
Try:     send the upload without waiting between pieces (drop the acquire in upload()):
         uvicorn then hands the app whatever has arrived when it asks, in fewer messages.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from typing import TextIO

import httpx

from onthewire.serving import serving_asgi
from onthewire.trace import traced
from snippets.asgi.by_hand import app


# --8<-- [start:one]
def one_request(out: TextIO = sys.stdout) -> str:
    """POST a 12-byte body to /adá (percent-encoded) on the traced app; return the answer."""
    # stable=True: ports masked, no times (a page shows this output)
    with serving_asgi(traced(app, out, stable=True), lifespan="off") as url:
        response = httpx.post(f"{url}/ad%C3%A1?lang=en", content=b"Hello, ASGI!",
                              headers={"Content-Type": "text/plain"})  # capitals, on purpose
    return response.text
# --8<-- [end:one]


def _acknowledging(app, read: threading.Semaphore):
    """Middleware for the demo only: count each message the app has received."""
    async def wrapper(scope, receive, send):
        async def counted():
            message = await receive()
            read.release()
            return message
        await app(scope, counted, send)
    return wrapper


# --8<-- [start:pieces]
def upload_in_pieces(pieces: list[bytes], out: TextIO = sys.stdout) -> str:
    """Upload `pieces` as a chunked body, one piece per message; return the answer."""
    read = threading.Semaphore(0)

    def upload() -> Iterator[bytes]:  # httpx sends a generator's items as chunks
        for piece in pieces:
            yield piece
            read.acquire(timeout=5)  # until the app has received this piece

    with serving_asgi(_acknowledging(traced(app, out, stable=True, brief=True), read), lifespan="off") as url:
        response = httpx.post(f"{url}/grace", content=upload())
    return response.text
# --8<-- [end:pieces]


if __name__ == "__main__":
    print("A body with a Content-Length:")
    answer = one_request()
    print(f"the client got: {answer!r}")
    print()
    print("A body in three pieces:")
    answer = upload_in_pieces([b"first piece, ", b"second piece, ", b"last piece"])
    print(f"the client got: {answer!r}")
