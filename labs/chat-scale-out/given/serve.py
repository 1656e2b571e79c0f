"""Run the lab: a Redis server, and the chat app under uvicorn with two worker processes.

`wire start chat-scale-out` runs this file. Unless REDIS_URL is set, it starts a
redis-server of its own on a free port of 127.0.0.1 (nothing saved to disk) and gives its
URL to the app in REDIS_URL; then it runs the equivalent of

    uvicorn app:app --host HOST --port PORT --workers 2

in this process. Ctrl-C or SIGTERM stops the workers, then Redis. You don't need to change
this file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal

import uvicorn

from onthewire.redis_server import serving_redis

WORKERS = 2


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    # A SIGTERM before uvicorn has set its own handlers still leaves through the `with`
    # below, so Redis is stopped. Once running, uvicorn's supervisor takes SIGINT and
    # SIGTERM: it stops both workers and waits for them, and uvicorn.run() returns.
    signal.signal(signal.SIGTERM, _interrupt)
    with contextlib.ExitStack() as stack:
        if "REDIS_URL" not in os.environ:
            os.environ["REDIS_URL"] = stack.enter_context(serving_redis())
            print(f"Redis: {os.environ['REDIS_URL']} (the workers' broker)", flush=True)
        uvicorn.run("app:app", host=args.host, port=args.port, workers=WORKERS)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass  # Ctrl-C: the workers and Redis are stopped already
