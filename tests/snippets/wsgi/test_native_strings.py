"""native_strings: PATH_INFO is percent-decoded bytes as latin-1; QUERY_STRING stays encoded."""

from __future__ import annotations

from snippets.wsgi.native_strings import request_all


def test_path_info_is_bytes_as_latin1_and_query_string_is_left_encoded() -> None:
    cafe, slash = request_all()
    assert cafe["PATH_INFO"] == "/caf\u00c3\u00a9"  # 'Ã©': the two UTF-8 bytes of 'é'
    assert cafe["PATH_INFO"] == "/café".encode("utf-8").decode("latin-1")
    assert max(map(ord, cafe["PATH_INFO"])) <= 0xFF
    assert cafe["path"] == "/café"
    assert cafe["QUERY_STRING"] == "dish=cr%C3%AApe"
    assert cafe["query"] == {"dish": ["crêpe"]}


def test_an_encoded_slash_is_indistinguishable_in_path_info() -> None:
    _, slash = request_all()
    assert slash["PATH_INFO"] == "/a/b/c"
