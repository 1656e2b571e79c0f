"""Who may open a WebSocket: an Origin allowlist against cross-site WebSocket hijacking, and
authentication at the handshake, in a Starlette app; tried with the `websockets` client
playing a browser on the right site, a page on another site, and a script.

A browser sends its cookies with a WebSocket handshake to any site, whoever's page asked,
and no same-origin policy stops the page reading the replies (RFC 6455 §10.2 leaves the
check to the server). The Origin header says whose page it was. A browser cannot add other
headers to the handshake (the WHATWG WebSocket API has no way to), so credentials come in a
cookie, or in the URL's query.

Run it:  python guarded.py
Try:     allow connections without an Origin only when they bring a token. Which clients
         send no Origin at all?
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from onthewire.serving import serving_asgi

# --8<-- [start:app]
ALLOWED_ORIGINS = {"https://chat.example"}
SESSIONS = {"c00kie-of-ada": "ada"}  # a real app looks the session up in its store


async def chat(websocket: WebSocket) -> None:
    origin = websocket.headers.get("origin")
    if origin is not None and origin not in ALLOWED_ORIGINS:
        await websocket.close(code=1008)  # before accept(): the client gets HTTP 403
        return
    credential = websocket.cookies.get("session") or websocket.query_params.get("token")
    user = SESSIONS.get(credential or "")
    if user is None:  # an HTTP answer of our own choosing instead of a bare 403
        await websocket.send_denial_response(PlainTextResponse("log in first", status_code=401))
        return
    await websocket.accept()
    await websocket.send_text(f"hello {user}")


app = Starlette(routes=[WebSocketRoute("/chat", chat)])
# --8<-- [end:app]


@dataclass
class Attempt:
    who: str
    origin: str | None
    cookie: str | None = None
    query: str = ""


# --8<-- [start:attempts]
ATTEMPTS = [
    Attempt("the chat's own page, logged in", "https://chat.example", cookie="session=c00kie-of-ada"),
    Attempt("another site's page, same browser", "https://evil.example", cookie="session=c00kie-of-ada"),
    Attempt("the chat's own page, logged out", "https://chat.example"),
    Attempt("a script with a token in the URL", None, query="?token=c00kie-of-ada"),
    Attempt("a script with a wrong token", None, query="?token=guess"),
]
# --8<-- [end:attempts]


def attempt(url: str, who: Attempt) -> str:
    headers = {"Cookie": who.cookie} if who.cookie else None
    try:
        with connect(url.replace("http://", "ws://") + "/chat" + who.query,
                     origin=who.origin, additional_headers=headers) as websocket:
            return f"101, then {websocket.recv(timeout=5)!r}"
    except InvalidStatus as refused:
        response = refused.response
        return f"{response.status_code}" + (f" {response.body.decode()!r}" if response.body else "")


def main() -> None:
    # uvicorn 0.54 logs "ASGI callable returned without completing handshake" after a denial
    # response, although the client got the response whole: "critical" keeps that line out.
    with serving_asgi(app, log_level="critical") as url:
        results = [(a.who, a.origin or "(none)", attempt(url, a)) for a in ATTEMPTS]
    rows = [("who", "Origin", "answer"), *results]
    widths = [max(len(r[i]) for r in rows) for i in range(2)]
    for who, origin, result in rows:
        print(f"{who:<{widths[0]}}  {origin:<{widths[1]}}  {result}")


if __name__ == "__main__":
    main()
