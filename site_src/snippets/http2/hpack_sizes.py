"""HPACK, measured: the header block of a browser-like request, encoded twice by the same
encoder (the second time as the next request on the same connection), with and without
Huffman coding, field by field. The hpack library is the one h2 uses.

Run it:  python hpack_sizes.py
Try:     change the path or the cookie of the second request: which fields cost bytes again?
"""

from __future__ import annotations

from hpack import Decoder, Encoder
from hpack.table import HeaderTable

# --8<-- [start:request]
REQUEST = [
    (":method", "GET"), (":scheme", "https"), (":authority", "shop.example"), (":path", "/cart"),
    ("user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"),
    ("accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    ("accept-language", "en-GB,en;q=0.5"), ("accept-encoding", "gzip, deflate, br, zstd"),
    ("cookie", "session=7d4f1c2b9a8e6f3d"),
]
# --8<-- [end:request]


def http11_size(headers: list[tuple[str, str]]) -> int:
    """The same request as HTTP/1.1 text: request line, `Name: value` lines, blank line."""
    fields = dict(headers)
    lines = [f"{fields[':method']} {fields[':path']} HTTP/1.1", f"host: {fields[':authority']}"]
    lines += [f"{k}: {v}" for k, v in headers if not k.startswith(":")]
    return len("\r\n".join(lines) + "\r\n\r\n")


# --8<-- [start:kind]
def kind(block: bytes) -> str:
    """What the first byte of one encoded field says it is (RFC 7541 §6)."""
    first = block[0]
    if first & 0x80:
        index = first & 0x7F  # (indices above 126 continue in later bytes; not needed here)
        table = "static" if index <= len(HeaderTable.STATIC_TABLE) else "dynamic"
        return f"indexed, {table} table entry {index}"
    if first & 0x40:
        name = first & 0x3F
        return "literal, added to dynamic table" + (f" (name from entry {name})" if name else " (new name)")
    return "literal, not indexed"
# --8<-- [end:kind]


# --8<-- [start:measure]
def field_by_field(encoder: Encoder, headers: list[tuple[str, str]]) -> list[tuple[str, bytes]]:
    """Encode each field on its own with `encoder`: concatenated, the same bytes as one block."""
    return [(name, encoder.encode([(name, value)])) for name, value in headers]


def measure() -> dict[str, int]:
    """Sizes in bytes: HTTP/1.1 text, then HPACK for a first and a repeated request."""
    encoder, plain = Encoder(), Encoder()
    first = encoder.encode(REQUEST)
    repeat = encoder.encode(REQUEST)                   # same connection, same encoder
    decoder = Decoder()
    assert decoder.decode(first) == decoder.decode(repeat) == REQUEST
    return {
        "HTTP/1.1 text": http11_size(REQUEST),
        "HPACK, first request, no Huffman": len(plain.encode(REQUEST, huffman=False)),
        "HPACK, first request": len(first),
        "HPACK, repeated request": len(repeat),
    }
# --8<-- [end:measure]


if __name__ == "__main__":
    for label, size in measure().items():
        print(f"{label:<34} {size:>4} bytes")
    encoder = Encoder()
    for request in ("first request", "repeated request"):
        print(f"\n{request}:")
        for name, block in field_by_field(encoder, REQUEST):
            print(f"  {name:<16} {len(block):>3} bytes  {kind(block)}")
    entries = encoder.header_table.dynamic_entries
    size = sum(len(name) + len(value) + 32 for name, value in entries)  # RFC 7541 §4.1: 32 bytes of overhead each
    print(f"\ndynamic table after both: {len(entries)} entries, {size} of {encoder.header_table.maxsize} bytes")
