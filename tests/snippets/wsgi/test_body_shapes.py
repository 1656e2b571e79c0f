"""body_shapes: list, generator and write(); and the server may edit the headers list."""

from __future__ import annotations

from snippets.wsgi import body_shapes as snippet


def test_a_one_item_list_gets_a_content_length() -> None:
    sent = snippet.run(snippet.one_item_list)
    assert b"Content-Length: 12\r\n" in sent and sent.endswith(b"\r\n\r\nhello world\n")


def test_a_generator_body_has_no_length_and_ends_with_the_connection() -> None:
    sent = snippet.run(snippet.generator)
    assert b"Content-Length" not in sent and b"Transfer-Encoding" not in sent
    assert sent.startswith(b"HTTP/1.0 ") and sent.endswith(b"\r\n\r\nhello world\n")


def test_a_two_item_list_gets_no_content_length_either() -> None:
    def two_items(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"hello ", b"world\n"]

    assert b"Content-Length" not in snippet.run(two_items)


def test_write_sends_before_the_app_returns() -> None:
    snippet.sent_before_return.clear()
    sent = snippet.run(snippet.legacy_write)
    assert snippet.sent_before_return[0].endswith(b"\r\n\r\nhello ")
    assert sent.endswith(b"\r\n\r\nhello world\n")


def test_the_server_edits_the_list_the_app_passed() -> None:
    snippet.SHARED[:] = [("Content-Type", "text/plain")]
    snippet.run(snippet.shared_headers)
    assert ("Content-Length", "12") in snippet.SHARED
