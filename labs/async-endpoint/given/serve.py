"""Run the lab: your app under uvicorn, and a stock service for it to call.

`wire start async-endpoint` runs this file. If UPSTREAM_URL is set, the app talks to the
stock service found there (the checks start one of their own); otherwise this starts
stock_service.py in a background thread and points the app at it. You don't need to change
this file.
"""

from __future__ import annotations

import argparse
import contextlib
import os

import uvicorn

import stock_service


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if "UPSTREAM_URL" not in os.environ:
            os.environ["UPSTREAM_URL"] = stack.enter_context(stock_service.running())
            print(f"Stock service (the upstream): {os.environ['UPSTREAM_URL']}/stock/SKU, "
                  f"answering after {stock_service.DELAY} s", flush=True)
        uvicorn.run("app:app", host=args.host, port=args.port)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass  # Ctrl-C: uvicorn has shut the app down already
