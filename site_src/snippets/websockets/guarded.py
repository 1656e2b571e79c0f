"""Who may open a WebSocket: an Origin allowlist against cross-site WebSocket hijacking, and
authentication at the handshake, in a Starlette app; tried with the `websockets` client
playing a browser on the chat's own page, pages on other origins, and a script.

A browser opens a WebSocket with credentials mode "include" (WHATWG WebSockets, "establish a
WebSocket connection"): the handshake carries whichever of the user's cookies for the chat's
host the cookie rules allow. A page on the same *site* (another subdomain, another port) gets
them all; a page on another site gets those marked SameSite=None. No same-origin policy
stops the page reading the replies (RFC 6455 §10.2 leaves the check to the server), so the
server compares the Origin header with its own. A browser cannot add other headers to the
handshake, so credentials come in a cookie, or in the URL's query.

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
ALLOWED_ORIGINS = {"https://chat.example.com"}
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
LOGGED_IN = "session=c00kie-of-ada"  # what the browser holds for chat.example.com
ATTEMPTS = [
    Attempt("the chat's own page", "https://chat.example.com", cookie=LOGGED_IN),
    # Same site (example.com), another origin: the browser sends even SameSite=Strict cookies.
    Attempt("a page on another subdomain", "https://forum.example.com", cookie=LOGGED_IN),
    # Another site: the browser sends the cookie only if it is marked SameSite=None.
    Attempt("a page on another site, SameSite=None", "https://evil.example", cookie=LOGGED_IN),
    Attempt("the chat's own page, logged out", "https://chat.example.com"),
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
    # uvicorn logs "ASGI callable returned without completing handshake" after a denial
    # response, although the client got the response whole: "critical" keeps that line out.
    with serving_asgi(app, log_level="critical") as url:
        results = [(a.who, a.origin or "(none)", "session" if a.cookie else "(none)", attempt(url, a)) for a in ATTEMPTS]
    rows = [("who", "Origin", "Cookie", "answer"), *results]
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for who, origin, cookie, result in rows:
        print(f"{who:<{widths[0]}}  {origin:<{widths[1]}}  {cookie:<{widths[2]}}  {result}")


if __name__ == "__main__":
    main()
