"""A small real Flask app: a route with a path parameter, a JSON API, and a streamed response."""

from __future__ import annotations

from collections.abc import Iterator

from flask import Flask, Response, jsonify, request

app = Flask(__name__)


@app.get("/hello/<name>")
def hello(name: str) -> str:
    return f"Hello, {name}!"


@app.post("/echo")
def echo() -> Response:
    return jsonify(json=request.get_json(), args=request.args, host=request.host, url=request.url)


@app.get("/stream")
def stream() -> Response:
    def lines() -> Iterator[str]:
        for i in range(3):
            yield f"line {i}\n"

    return Response(lines(), mimetype="text/plain")
