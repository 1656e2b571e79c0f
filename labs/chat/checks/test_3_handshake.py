"""Step 3: who may join. A page from a foreign Origin, and a missing or bad user name, are
refused before the handshake completes: the client gets HTTP 403, and no WebSocket opens."""

from __future__ import annotations

from chat_checks import status_of
from onthewire.serving import Running


def test_user_name_is_checked(server: Running) -> None:
    """refuses a missing, empty or too long user name with 403, and takes 1 to 32 characters

    Look at: user_name(), and where chat() closes before accept()
    """
    for user, want in [(None, 403), ("", 403), ("x" * 33, 403), ("x", 101), ("x" * 32, 101), ("Zoë", 101)]:
        got = status_of(server, user=user)
        shown = "no ?user=" if user is None else f"?user={user if len(user) < 10 else f'<{len(user)} characters>'}"
        assert got == want, f"a handshake with {shown} got HTTP {got}, want {want}"


def test_foreign_origin_is_refused(server: Running) -> None:
    """refuses a browser page from another origin with 403, lookalikes included

    Look at: origin_allowed(): an exact comparison with allowed_origins(), before accept()
    """
    own = f"http://127.0.0.1:{server.port}"
    for origin in ["https://evil.example", "null", f"https://127.0.0.1:{server.port}", "http://127.0.0.1:9",
                   f"{own}.evil.example", "http://127.0.0.1:8000.evil.example", f"http://evil.example/{own}", own + "0"]:
        got = status_of(server, origin=origin)
        assert got == 403, f"a handshake with Origin: {origin} got HTTP {got}, want 403"


def test_allowed_origins_get_in(server: Running) -> None:
    """accepts the app's own page, the course site's live panel, and clients that send no Origin

    Look at: allowed_origins(): the port this server listens on is in websocket.scope["server"]
    """
    for origin in [f"http://127.0.0.1:{server.port}", f"http://localhost:{server.port}",
                   "http://127.0.0.1:8000", "http://localhost:8000", None]:
        got = status_of(server, origin=origin)
        what = f"Origin: {origin}" if origin else "no Origin (a client that is not a browser)"
        assert got == 101, f"a handshake with {what} got HTTP {got}, want 101"
