"""Step 2: the room hears when someone joins, and when someone leaves, however they left."""

from __future__ import annotations

import asyncio
from pathlib import Path

from chat_checks import Visitor, expect, join, masked, raw_join, say
from onthewire.labs.kit import import_file, shown
from onthewire.serving import Running
from snippets.websockets import wsframes


def test_join_notice(server: Running) -> None:
    """tells the room, the newcomer too, {"event": "join", "user": ...} when someone joins

    Look at: what chat() does right after accept(): add the member, then tell the room
    """
    with join(server, "ada") as ada:  # join() waits for ada's own join notice
        with join(server, "bob"):
            expect(ada, {"event": "join", "user": "bob"}, "the notice that bob joined, at ada", server)


def test_leave_notice_on_close(server: Running) -> None:
    """tells the others {"event": "leave", "user": ...} when someone closes the connection

    Look at: the finally: block of chat(): it runs however the loop ended
    """
    with join(server, "ada") as ada:
        with join(server, "bob"):
            expect(ada, {"event": "join", "user": "bob"}, "the notice that bob joined, at ada", server)
        expect(ada, {"event": "leave", "user": "bob"}, "the notice that bob left, at ada", server)
        say(ada, "still here")
        expect(ada, {"user": "ada", "text": "still here"}, "ada's message after bob left", server)


def test_leave_notice_when_the_connection_drops(server: Running) -> None:
    """tells the room that someone left when their TCP connection ends with no Close frame

    Look at: what receive() returns when the client vanished, and whether the member is taken out
    """
    with join(server, "ada") as ada:
        sock, _ = raw_join(server, "dan")
        expect(ada, {"event": "join", "user": "dan"}, "the notice that dan joined, at ada", server)
        sock.close()  # no Close frame: the laptop lid closed
        expect(ada, {"event": "leave", "user": "dan"}, "the notice that dan left, at ada", server)


def test_leaving_the_last_room_and_coming_back(server: Running) -> None:
    """lets a room empty and fill again: no message to someone who left, no stale member

    Look at: the finally: block: take the member out before telling the others
    """
    with join(server, "ada", room="attic"):
        pass
    with join(server, "bob", room="attic") as bob:
        sock, _ = raw_join(server, "eve", room="attic")
        expect(bob, {"event": "join", "user": "eve"}, "the notice that eve joined, at bob", server)
        sock.sendall(masked(wsframes.Opcode.CLOSE, wsframes.close_payload(1000)))
        expect(bob, {"event": "leave", "user": "eve"}, "the notice that eve left, at bob", server)
        sock.close()
        say(bob, "anyone?")
        expect(bob, {"user": "bob", "text": "anyone?"}, "bob's message in a room that emptied and filled", server)


def test_an_empty_room_is_forgotten(code_dir: Path) -> None:
    """forgets a room once the last person in it has left, and keeps it while anyone is still in

    A room comes into being when someone names it in a URL: a server that kept every room
    ever named would grow for as long as it runs. This check imports app.py and drives chat()
    through its ASGI interface, to look at ROOMS once each endpoint has returned.

    Look at: the finally: block of chat(): once the room has no members left, take it out of ROOMS
    """
    chat_app = import_file(code_dir / "app.py", "chat_app")

    async def run() -> None:
        ada, bob = Visitor(chat_app.app, "attic", "ada"), Visitor(chat_app.app, "attic", "bob")
        await ada.enter()
        await bob.enter()
        await bob.leave()
        assert "attic" in chat_app.ROOMS, "bob left the attic, ada is still in it, and ROOMS no longer holds it"
        cy = Visitor(chat_app.app, "attic", "cy")
        await cy.enter()
        assert ada.heard({"event": "join", "user": "cy"}), (
            "cy came into the attic after bob left, and ada, still in it, never heard that cy joined: "
            "is cy in the same Room as ada?")
        await cy.leave()
        await ada.leave()
        assert "attic" not in chat_app.ROOMS, (
            f"everyone has left the attic, and ROOMS still holds it (its rooms: {shown(sorted(chat_app.ROOMS))})")

    asyncio.run(run())
