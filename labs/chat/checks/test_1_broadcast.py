"""Step 1: a message goes to everyone in the room, the sender too, and to no other room.
(These checks read past join and leave notices: those are step 2.)"""

from __future__ import annotations

from chat_checks import expect_said, join, say
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
    people = {}
    try:
        # Each joins and speaks in turn: once someone's own message is back, they are a member.
        for who in ["ada", "bob", "cy"]:
            people[who] = join(server, who, own_join=False)
            say(people[who], f"{who} is here")
            expect_said(people[who], {"user": who, "text": f"{who} is here"}, f"{who}'s own first message", server)
        for who, ws in people.items():
            for speaker in list(people)[list(people).index(who) + 1:]:
                expect_said(ws, {"user": speaker, "text": f"{speaker} is here"}, f"{speaker}'s first message, at {who}",
                            server)
        say(people["bob"], "one")
        say(people["bob"], "two")
        for who, ws in people.items():
            expect_said(ws, {"user": "bob", "text": "one"}, f"bob's message 'one', at {who}", server)
            expect_said(ws, {"user": "bob", "text": "two"}, f"bob's message 'two', at {who}", server)
    finally:
        for ws in people.values():
            ws.close()


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
