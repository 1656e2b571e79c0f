"""hpack_sizes: HPACK shrinks a first request and turns a repeated one into a byte per field."""

from __future__ import annotations

from hpack import Encoder

from snippets.http2.hpack_sizes import REQUEST, field_by_field, kind, measure


def test_first_request_is_smaller_than_text_and_huffman_helps() -> None:
    sizes = measure()
    assert sizes["HPACK, first request"] < sizes["HPACK, first request, no Huffman"] < sizes["HTTP/1.1 text"]
    assert sizes["HPACK, repeated request"] == len(REQUEST)  # one byte per field


def test_repeat_is_all_indexed_and_first_uses_static_names() -> None:
    encoder = Encoder()
    first = field_by_field(encoder, REQUEST)
    repeat = field_by_field(encoder, REQUEST)
    assert kind(first[0][1]) == "indexed, static table entry 2"  # :method GET is in RFC 7541 Appendix A
    assert all(kind(b).startswith("literal, added to dynamic table (name from entry") for _, b in first[2:])
    assert all(len(b) == 1 and kind(b).startswith("indexed") for _, b in repeat)
    assert b"".join(b for _, b in first) == Encoder().encode(REQUEST)


def test_page_output(snippet_output) -> None:
    out = snippet_output("hpack_sizes.py")
    assert "HTTP/1.1 text                       308 bytes" in out  # the numbers the page quotes
    assert "HPACK, repeated request               9 bytes" in out
    assert "dynamic table after both: 7 entries" in out
