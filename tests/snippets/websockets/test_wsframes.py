"""wsframes: the accept value and frames, checked against RFC 6455's examples and wsproto."""

from __future__ import annotations

import pytest
from wsproto.frame_protocol import FrameProtocol
from wsproto.utilities import generate_accept_token

from snippets.websockets import wsframes
from snippets.websockets.wsframes import Opcode

KEY = bytes.fromhex("37fa213d")


def test_accept_key_is_the_rfc_example() -> None:
    assert wsframes.accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


@pytest.mark.parametrize("key", ["x3JJHMbDL1EzLkh9GBhXDw==", "AQIDBAUGBwgJCgsMDQ4PEC=="])
def test_accept_key_agrees_with_wsproto(key: str) -> None:
    assert wsframes.accept_key(key) == generate_accept_token(key.encode()).decode()


def test_handshake_request() -> None:
    request = wsframes.handshake_request("h.test", "/p", "k==", [("Origin", "https://h.test")])
    assert request.startswith(b"GET /p HTTP/1.1\r\nHost: h.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n")
    assert b"Sec-WebSocket-Key: k==\r\nSec-WebSocket-Version: 13\r\nOrigin: https://h.test\r\n\r\n" in request
    assert request.endswith(b"\r\n\r\n") and request.count(b"\r\n\r\n") == 1


def test_masking_twice_gives_the_payload_back() -> None:
    assert wsframes.mask(wsframes.mask(b"Hello, world", KEY), KEY) == b"Hello, world"


@pytest.mark.parametrize("n,header", [(0, 2), (125, 2), (126, 4), (65535, 4), (65536, 10)])
def test_unmasked_frames_are_byte_for_byte_wsproto_server_frames(n: int, header: int) -> None:
    payload = bytes(range(256)) * (n // 256) + bytes(n % 256)
    ours = wsframes.encode(Opcode.BINARY, payload)
    assert ours == bytes(FrameProtocol(client=False, extensions=[]).send_data(payload))
    assert len(ours) - n == header


@pytest.mark.parametrize("n", [0, 5, 125, 126, 65536])
def test_masked_frames_are_read_by_a_wsproto_server(n: int) -> None:
    payload = b"ab" * (n // 2) + b"c" * (n % 2)
    parser = FrameProtocol(client=False, extensions=[])
    parser.receive_bytes(wsframes.encode(Opcode.BINARY, payload, mask_key=KEY))
    frames = list(parser.received_frames())
    assert b"".join(bytes(f.payload) for f in frames) == payload
    assert frames[-1].message_finished


def test_decode_round_trip_and_rest() -> None:
    first = wsframes.encode(Opcode.TEXT, b"Hel", fin=False, mask_key=KEY)
    second = wsframes.encode(Opcode.CONTINUATION, b"lo", mask_key=KEY)
    frame, rest = wsframes.decode(first + second)
    assert (frame.fin, frame.opcode, frame.payload, frame.mask_key, frame.raw) == (False, 1, b"Hel", KEY, first)
    frame, rest = wsframes.decode(rest)
    assert (frame.fin, frame.kind, frame.payload, rest) == (True, "continuation", b"lo", b"")


def test_decode_refuses_a_short_frame() -> None:
    with pytest.raises(ValueError):
        wsframes.decode(wsframes.encode(Opcode.TEXT, b"Hello")[:-1])


def test_close_frame_fields() -> None:
    frame, _ = wsframes.decode(wsframes.encode(Opcode.CLOSE, wsframes.close_payload(1001, "bye")))
    assert (frame.close_code, frame.close_reason) == (1001, "bye")
    assert wsframes.decode(wsframes.encode(Opcode.CLOSE))[0].close_code is None


def test_rsv_bits() -> None:
    frame, _ = wsframes.decode(wsframes.encode(Opcode.TEXT, b"x", rsv=4))
    assert frame.rsv == 4 and frame.raw[0] == 0xC1


def test_annotate_names_every_field() -> None:
    lines = wsframes.annotate(wsframes.encode(Opcode.TEXT, b"Hello", mask_key=KEY)).splitlines()
    assert lines[0].startswith("81 ") and "opcode=0x1 (text)" in lines[0]
    assert lines[1].startswith("85 ") and "MASK=1 length=5" in lines[1]
    assert lines[2].startswith("37 fa 21 3d") and "masking key" in lines[2]
    assert lines[3].startswith("7f 9f 4d 51 58") and "b'Hello'" in lines[3]
    long = wsframes.annotate(wsframes.encode(Opcode.BINARY, bytes(300))).splitlines()
    assert "length=126: the next 2 bytes hold it" in long[1] and "length=300" in long[2]


def test_hexdump_shows_every_byte() -> None:
    data = bytes(range(40))
    dump = wsframes.hexdump(data).splitlines()
    assert len(dump) == 3 and dump[0].startswith("0000  00 01 02") and dump[2].startswith("0020  20 21")
    assert sum(len(line[6:6 + 47].split()) for line in dump) == 40
