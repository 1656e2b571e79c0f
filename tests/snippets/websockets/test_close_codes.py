"""close_codes: the close code uvicorn and Starlette send in each case, and what the app hears."""

from __future__ import annotations

import pytest

from snippets.websockets import close_codes

# what happened: (the server's Close frame code, or None for none at all; the app's close code)
EXPECTED = {
    "client closes: done (1000)": (1000, 1000),
    "client closes: going away (1001)": (1001, 1001),
    "unmasked frame from the client": (1002, 1002),
    "binary message, text-only endpoint": (1003, 1011),  # Starlette raises after closing
    "text message that is not UTF-8": (1007, 1007),
    "2000-byte message, ws_max_size=1024": (1009, 1009),
    "no pong within ws_ping_timeout": (1011, 1005),  # uvicorn tells the app 1005, not 1011
    "the server shuts down": (1012, 1012),
    "the app raises an exception": (None, None),  # no Close frame: the client reports 1006
}


@pytest.mark.parametrize("case", close_codes.CASES, ids=lambda c: c.what)
def test_close_code(case: close_codes.Case) -> None:
    outcome = close_codes.probe(case)
    assert (outcome.close_code, outcome.app_saw) == EXPECTED[case.what]


def test_every_case_is_expected() -> None:
    assert {case.what for case in close_codes.CASES} == set(EXPECTED)
