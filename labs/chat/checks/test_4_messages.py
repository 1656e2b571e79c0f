"""Step 4: what one client sends never disturbs the others: malformed messages get an error
for the sender alone, too big ones close that connection with 1009, binary ones with 1003,
and bytes that are no WebSocket frame at all end that connection and nothing else."""

from __future__ import annotations

import json

from chat_checks import close_code, expect, join, masked, raw_join, receive, say
from onthewire.labs.kit import shown
from onthewire.serving import Running
from snippets.websockets import wsframes

ERROR = "error"


def test_malformed_messages_get_an_error(server: Running) -> None:
    """answers what is not {"text": "..."} with {"event": "error", ...} to its sender alone, and stays open

    Look at: parse(): what json.loads raises, and what it may return that is not a dict with a string "text"
    """
    with join(server, "ada") as ada, join(server, "bob") as bob:
        expect(ada, {"event": "join", "user": "bob"}, "the notice that bob joined, at ada", server)
        for bad in ["hello", "{", "[1, 2]", '"text"', "null", '{"txt": "hi"}', '{"text": 42}', '{"text": ""}']:
            bob.send(bad)
            got = receive(bob, f"an answer to {bad!r}", server)
            assert got.get("event") == ERROR and isinstance(got.get("reason"), str), (
                f"bob sent {bad!r} and got {shown(got)}, want {{\"event\": \"error\", \"reason\": \"...\"}}")
        say(bob, "and now properly")
        expect(ada, {"user": "bob", "text": "and now properly"},
               "bob's proper message: the first thing ada hears after bob's malformed ones", server)
        expect(bob, {"user": "bob", "text": "and now properly"}, "bob's proper message, after the errors", server)


def test_size_limit_closes_with_1009(server: Running) -> None:
    """closes a connection whose message is over 4096 bytes of UTF-8 with 1009; the room goes on

    Look at: the length check in chat(): len(text) counts characters, MAX_MESSAGE_BYTES bytes
    """
    with join(server, "ada") as ada:
        with join(server, "bob") as bob:
            expect(ada, {"event": "join", "user": "bob"}, "the notice that bob joined, at ada", server)
            fits = json.dumps({"text": "x" * (4096 - 12)})  # exactly 4096 bytes
            bob.send(fits)
            expect(ada, {"user": "bob", "text": "x" * 4084}, "bob's message of exactly 4096 bytes", server)
            bob.send(json.dumps({"text": "é" * 2045}, ensure_ascii=False))  # 2057 characters, 4102 bytes
            code = close_code(bob, "a message of 2057 characters and 4102 bytes", server, then="are you still there?")
            assert code == 1009, f"a message of 4102 bytes closed bob's connection with {code}, want 1009"
        expect(ada, {"event": "leave", "user": "bob"}, "the notice that bob left, at ada", server)
        say(ada, "still here")
        expect(ada, {"user": "ada", "text": "still here"}, "ada's message after bob's was too big", server)


def test_binary_closes_with_1003(server: Running) -> None:
    """closes a connection that sends a binary message with 1003 (unsupported data)

    Look at: chat(): a "websocket.receive" message with "bytes" and no "text"
    """
    with join(server, "ada") as ada:
        ada.send(b'{"text": "hi"}')
        code = close_code(ada, "a binary message", server, then="are you still there?")
        assert code == 1003, f"a binary message closed the connection with {code}, want 1003"


def test_garbage_does_not_disturb_the_room(server: Running) -> None:
    """survives bytes that are no proper frame, and invalid UTF-8: only that client goes, the room chats on

    Look at: the finally: block of chat(): the server ends a broken connection, your code sees a disconnect
    """
    garbage = [
        b"\xff\x00this is not a WebSocket frame\r\n" * 4,          # reserved opcode, RSV bits
        wsframes.encode(wsframes.Opcode.TEXT, b'{"text": "unmasked"}'),  # a client must mask
        masked(wsframes.Opcode.TEXT, b'{"text": "\xff\xfe"}'),           # not UTF-8
        masked(wsframes.Opcode.TEXT, b'{"text": "half')[:9],             # cut off, then gone
    ]
    with join(server, "ada") as ada, join(server, "bob") as bob:
        expect(ada, {"event": "join", "user": "bob"}, "the notice that bob joined, at ada", server)
        for number, data in enumerate(garbage, 1):
            name = f"mallory{number}"
            sock, _ = raw_join(server, name)
            for ws in (ada, bob):
                expect(ws, {"event": "join", "user": name}, f"the notice that {name} joined", server)
            try:
                sock.sendall(data)
            finally:
                sock.close()
            for ws, who in [(ada, "ada"), (bob, "bob")]:
                expect(ws, {"event": "leave", "user": name}, f"the notice that {name} left, at {who}", server)
            say(ada, f"after {name}")
            for ws, who in [(ada, "ada"), (bob, "bob")]:
                expect(ws, {"user": "ada", "text": f"after {name}"}, f"ada's message after {name}'s bytes, at {who}",
                       server)
