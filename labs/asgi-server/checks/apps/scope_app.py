"""scope_app:app answers every request with its scope as JSON, bytes written as
{"bytes": "..."} (latin-1) and the Python type of each value under "types", for the checks to
hold against the spec's "HTTP Connection Scope"."""

from __future__ import annotations

import json
from typing import Any


def described(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"bytes": value.decode("latin-1")}
    if isinstance(value, (list, tuple)):
        return [described(item) for item in value]
    if isinstance(value, dict):
        return {str(key): described(item) for key, item in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return {"object": type(value).__name__}


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        raise ValueError(f"scope_app serves HTTP only, not {scope['type']!r}")
    body = json.dumps({"scope": described(scope), "types": {key: type(value).__name__ for key, value in scope.items()}})
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body.encode()})
