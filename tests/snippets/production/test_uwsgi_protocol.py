"""uwsgi_protocol: Nginx's uwsgi_pass talks uWSGI's binary protocol; a packet built by hand
gets an HTTP answer; plain HTTP on a uwsgi socket is refused."""

from __future__ import annotations

import struct

import pytest

from snippets.production.uwsgi_protocol import CLIENT_ADDRESS, REQUEST, demo, packet

pytestmark = pytest.mark.system("nginx")


def test_a_packet_is_a_4_byte_header_then_length_prefixed_names_and_values() -> None:
    data = packet({"A": "bc"})
    assert data == b"\x00\x07\x00\x00" + b"\x01\x00A" + b"\x02\x00bc"
    assert struct.unpack("<BHB", packet(REQUEST)[:4])[1] == len(packet(REQUEST)) - 4


@pytest.fixture(scope="module")
def seen() -> dict:
    return demo()


def test_through_nginx_the_app_gets_the_clients_address_as_a_variable(seen: dict) -> None:
    assert seen["through_nginx"]["REMOTE_ADDR"] == CLIENT_ADDRESS


def test_uwsgi_believes_whatever_the_packet_says(seen: dict) -> None:
    status, _, body = seen["by_hand"].partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 200 OK")
    assert b'"REMOTE_ADDR": "192.0.2.7"' in body


def test_plain_http_is_read_as_a_packet_header_and_dropped(seen: dict) -> None:
    assert seen["plain_http"] == b""
    assert seen["complaint"] == "invalid request block size: 21573 (max 4096)...skip"
    assert int.from_bytes(b"ET", "little") == 21573


def test_the_http_router_is_a_process_of_its_own_in_front_of_the_workers(seen: dict) -> None:
    assert seen["routed"] == 200
    assert any(line.startswith("spawned uWSGI http 1 (pid: ") for line in seen["router_log"])
    assert any("(port auto-assigned)" in line for line in seen["router_log"])
