"""mounting: shift_path_info moves a segment from PATH_INFO to SCRIPT_NAME."""

from __future__ import annotations

from snippets.wsgi.by_hand import call, make_environ
from snippets.wsgi.mounting import blog, site


def test_a_mounted_app_sees_its_prefix_in_script_name() -> None:
    body = call(site, make_environ("/blog/2024/wsgi", query="draft=1")).body.decode()
    assert "SCRIPT_NAME     '/blog'" in body
    assert "PATH_INFO       '/2024/wsgi'" in body
    assert "application URI http://example.org/blog\n" in body
    assert "request URI     http://example.org/blog/2024/wsgi?draft=1" in body


def test_the_same_app_at_the_root() -> None:
    body = call(blog, make_environ("/2024/wsgi")).body.decode()
    assert "SCRIPT_NAME     ''" in body and "PATH_INFO       '/2024/wsgi'" in body


def test_an_unknown_prefix_is_a_404() -> None:
    assert call(site, make_environ("/shop/cart")).status == "404 Not Found"
