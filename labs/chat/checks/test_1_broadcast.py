"""Step 1: a message goes to everyone in the room, the sender too, and to no other room.
(These checks read past join and leave notices: those are step 2.)"""

from __future__ import annotations

from websockets.sync.client import ClientConnection

from chat_checks import expect_said, join, receive, say
from onthewire.labs.kit import shown
from onthewire.serving import Running


def test_sender_gets_its_own_message(server: Running) -> None:
    """sends a message back to its sender as {"user": ..., "text": ...}

    Look at: the loop in chat(): what it sends, to whom, and with which user name
    """
    with join(server, "ada", own_join=False) as ada:
        say(ada, "hello")
        expect_said(ada, {"user": "ada", "text": "hello"}, "ada's own message", server)


def test_everyone_in_the_room_gets_it(server: Running) -> None:
    """sends each message to every member of the room, in the order they were sent

    Look at: Room.members: who adds each WebSocket to it, and does the loop send to all of them?
    """
    names = ["ada", "bob", "cy"]
    people: dict[str, ClientConnection] = {}
    heard: dict[str, list[tuple[str, str]]] = {who: [] for who in names}
    try:
        # Each joins and speaks in turn: once someone's own message is back, they are a member.
        for who in names:
            people[who] = join(server, who, own_join=False)
            say(people[who], f"{who} is here")
            _read_until_own(people[who], who, f"{who} is here", heard[who], server)
        say(people["bob"], "one")
        say(people["bob"], "two")
        # Each endpoint sends a message to everyone before it reads the next one: once each
        # person's "done" is back, every message before it has gone out to all, and what
        # someone has not heard by their own "checks" never came.
        for marker in ["done", "checks"]:
            for who in names:
                say(people[who], f"{who} {marker}")
                _read_until_own(people[who], who, f"{who} {marker}", heard[who], server)
        for who in names:
            for speaker in names:
                want = ([f"{speaker} is here"] if names.index(speaker) >= names.index(who) else []) + \
                       (["one", "two"] if speaker == "bob" else [])
                got = [text for user, text in heard[who]
                       if user == speaker and text not in (f"{speaker} done", f"{speaker} checks")]
                assert got == want, f"{who} heard from {speaker}: {shown(got)}; want {shown(want)}, in that order"
    finally:
        for ws in people.values():
            ws.close()


def _read_until_own(ws: ClientConnection, who: str, text: str, heard: list[tuple[str, str]], server: Running) -> None:
    """Read `who`'s messages, past join and leave notices, into `heard` until `who`'s own `text` is back."""
    while True:
        got = receive(ws, f"{who}'s own message {text!r}", server)
        if got.get("event") in ("join", "leave") and set(got) == {"event", "user"}:
            continue
        assert set(got) == {"user", "text"}, f"waiting for {who}'s own message {text!r}, {who} got {shown(got)}"
        heard.append((got["user"], got["text"]))
        if got == {"user": who, "text": text}:
            return


def test_other_rooms_hear_nothing(server: Running) -> None:
    """keeps rooms apart: a message in one room never reaches another

    Look at: where chat() finds the room: websocket.path_params["room"] and ROOMS
    """
    with join(server, "ada", room="lobby", own_join=False) as ada, \
            join(server, "bob", room="kitchen", own_join=False) as bob:
        say(ada, "only for the lobby")
        expect_said(ada, {"user": "ada", "text": "only for the lobby"}, "ada's message in the lobby", server)
        say(bob, "only for the kitchen")
        expect_said(bob, {"user": "bob", "text": "only for the kitchen"},
                    "bob's own message, the first thing the kitchen hears after bob joined", server)
