"""Step 3: who may join. A page from a foreign Origin, and a missing or bad user name, are
refused before the handshake completes: the client gets HTTP 403, and no WebSocket opens."""

from __future__ import annotations

from chat_checks import status_of
from onthewire.serving import Running


def test_user_name_is_checked(server: Running) -> None:
    """refuses a missing, empty or too long user name with 403, and takes 1 to 32 characters

    A name is counted in characters, whatever their size in UTF-8: "é" * 32 is 32 characters
    and 64 bytes, and gets in; "é" * 33 does not.

    Look at: user_name(), and where chat() closes before accept()
    """
    for user, want in [(None, 403), ("", 403), ("x" * 33, 403), ("x", 101), ("x" * 32, 101), ("Zoë", 101),
                       ("é" * 32, 101), ("é" * 33, 403)]:
        got = status_of(server, user=user)
        if user is None:
            shown = "no ?user="
        elif len(user) < 10:
            shown = f"?user={user}"
        else:
            shown = f"?user=<{len(user)} characters, {len(user.encode())} bytes of UTF-8>"
        assert got == want, f"a handshake with {shown} got HTTP {got}, want {want}"


def test_foreign_origin_is_refused(server: Running) -> None:
    """refuses a browser page from another origin with 403, lookalikes included

    Look at: origin_allowed(): an exact comparison with allowed_origins(), before accept()
    """
    own = f"http://127.0.0.1:{server.port}"
    for origin in ["https://evil.example", f"https://127.0.0.1:{server.port}", "http://127.0.0.1:9",
                   f"{own}.evil.example", "http://127.0.0.1:8000.evil.example", f"http://evil.example/{own}", own + "0",
                   own + "/"]:
        got = status_of(server, origin=origin)
        assert got == 403, f"a handshake with Origin: {origin} got HTTP {got}, want 403"


def test_odd_origins_are_refused(server: Running) -> None:
    """refuses an empty Origin, "null", and an allowed origin in other letter case, with 403

    A browser sends an origin as RFC 6454 section 6.2 serialises it, scheme and host in lower
    case, or "null" for a page with no origin to tell (section 7.3); an empty header is no
    origin at all (section 7.1). None of these is a page of this app's: only a missing header
    gets in without a match.

    Look at: origin_allowed(): a header that is there but empty is not a header that is missing; compare exactly
    """
    for origin, what in [("", "an empty Origin:"), ("null", "Origin: null"),
                         (f"HTTP://127.0.0.1:{server.port}", f"Origin: HTTP://127.0.0.1:{server.port}"),
                         (f"http://LOCALHOST:{server.port}", f"Origin: http://LOCALHOST:{server.port}"),
                         ("http://Localhost:8000", "Origin: http://Localhost:8000")]:
        got = status_of(server, origin=origin)
        assert got == 403, f"a handshake with {what} got HTTP {got}, want 403"


def test_allowed_origins_get_in(server: Running) -> None:
    """accepts the app's own page, the course site's live panel, and clients that send no Origin

    Look at: allowed_origins(): the port this server listens on is in websocket.scope["server"]
    """
    for origin in [f"http://127.0.0.1:{server.port}", f"http://localhost:{server.port}",
                   "http://127.0.0.1:8000", "http://localhost:8000", None]:
        got = status_of(server, origin=origin)
        what = f"Origin: {origin}" if origin else "no Origin (a client that is not a browser)"
        assert got == 101, f"a handshake with {what} got HTTP {got}, want 101"
