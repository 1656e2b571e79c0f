"""Every message reaches every client in the room exactly once, whichever worker holds it."""

from __future__ import annotations

import asyncio

from chat_checks import TIMEOUT, Client, close_all, problems, settle, spread
from onthewire.labs.kit import async_until, fail

MESSAGES = 3  # from each client


def test_every_message_reaches_every_client_once(chat, record_property) -> None:
    """every client in the room, the sender too, gets every message once, on either worker

    Look at: publish() in app.py (to Redis), and forward(): each worker hands on what Redis sends it.
    """

    async def run() -> None:
        clients = await spread(chat.url, "counting", per_worker=4)
        try:
            sent = []
            for k in range(MESSAGES):
                for client in clients:
                    text = f"message {k} from {client.user}"
                    await client.say(text)
                    sent.append((client.user, text))
            wanted = set(sent)
            # Whatever is still on its way, a copy sent twice included, arrives before settle() returns.
            await settle(clients, sent)
            found = problems(clients, sent)
            delivered = sum(len(wanted & set(c.texts())) for c in clients)
            record_property("measured", f"{len(clients)} clients, {len(sent)} messages: "
                                        f"{delivered} of {len(sent) * len(clients)} deliveries")
            if found:
                fail(f"{len(found)} problems, such as: {found[0]}")
            for client in clients:
                for user in {u for u, _ in sent}:
                    theirs = [t for u, t in client.texts() if u == user and (u, t) in wanted]
                    if theirs != [t for u, t in sent if u == user]:
                        fail(f"{client.user} got {user}'s messages out of order: {theirs}")
        finally:
            await close_all(clients)

    asyncio.run(run())


def test_a_message_as_text_without_json_is_ignored(chat) -> None:
    """ignores what is not JSON like {"text": "..."}, and keeps the connection open

    Look at: chat() in app.py: a message that is not JSON, or has no "text", is passed over.
    """

    async def run() -> None:
        alice = await Client.join(chat.url, "not-json", "alice")
        try:
            await alice._ws.send("not json")
            await alice._ws.send('{"no": "text"}')
            await alice.say("hello")
            if not await async_until(lambda: ("alice", "hello") in alice.texts(), TIMEOUT):
                fail("after a message that was not JSON, alice's next message did not come back to her")
            if alice.closed.is_set():
                fail("the server closed the connection after a message that was not JSON")
        finally:
            await alice.close()

    asyncio.run(run())
