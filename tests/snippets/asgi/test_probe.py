"""probe: the app reports the scope's versions, its loop and its process."""

from __future__ import annotations

import asyncio
import json
import os

from snippets.asgi.by_hand import call, make_scope
from snippets.asgi.probe import app


def test_it_reports_what_runs_it() -> None:
    conversation = asyncio.run(call(app, make_scope(), body=[]))
    report = json.loads(conversation[-1][1]["body"])
    assert report["asgi"] == {"version": "3.0", "spec_version": "2.4"}
    assert report["http_version"] == "1.1"
    assert report["pid"] == os.getpid()
    assert report["loop"].startswith("asyncio.")


def test_the_page_output(snippet_output) -> None:
    assert "asgi={'version': '3.0', 'spec_version': '2.4'}" in snippet_output("probe.py")
