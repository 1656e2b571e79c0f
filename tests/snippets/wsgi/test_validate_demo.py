"""validate_demo: wsgiref.validate names the rule an app breaks."""

from __future__ import annotations

from wsgiref.validate import validator

from snippets.wsgi.validate_demo import bytes_header, check, no_reason, serve, str_body


def test_the_validator_refuses_a_str_body_and_a_bytes_header() -> None:
    assert check(str_body) == "AssertionError: Iterator yielded non-bytestring ('hello\\n')"
    assert check(bytes_header) == "AssertionError: Header value must be of type str (got b'text/plain')"


def test_the_validator_only_warns_about_a_missing_reason_phrase() -> None:
    assert check(no_reason).startswith("WSGIWarning: The status string ('200') should be")


def test_in_a_real_server_the_client_gets_a_500_and_the_log_the_reason() -> None:
    assert serve(validator(str_body)) == (500, "AssertionError: Iterator yielded non-bytestring ('hello\\n')")
    assert serve(no_reason) == (500, "AssertionError: Status must be at least 4 characters")
