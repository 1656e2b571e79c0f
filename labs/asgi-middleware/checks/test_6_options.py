"""Step 6: the metric's name and description as options, checked when the app is built."""

from __future__ import annotations

from pathlib import Path

from apps.expected import DESCRIPTION, METRIC
from mw_checks import ok, the_metric
from onthewire.labs.harness import ServeFactory
from onthewire.labs.kit import fetch, import_file


def test_metric_name_and_description(serve: ServeFactory) -> None:
    """takes metric= and description= options: render;desc="Template \\"home\\", rendered";dur=N

    Look at: ServerTiming.__init__ (keyword options), and how a quoted-string escapes " (RFC 9110 §5.6.4)
    """
    with serve(app="named_app:app") as server:
        reply = ok(fetch(server, "GET", "/sleep?ms=5"), server)
    metric = the_metric(reply, METRIC)
    assert metric.params.get("desc") == DESCRIPTION, (
        f"the description came out as {metric.params.get('desc')!r} (in {metric.text!r}), want {DESCRIPTION!r}")
    assert metric.dur >= 5 - 1, f"dur={metric.dur:g} for a request that took 5 ms"


BAD = [("metric", "two words"), ("metric", "app;dur=1"), ("metric", ""),
       ("description", "line one\r\nx-injected: 1"), ("description", "café")]


def test_refuses_what_the_header_cannot_carry(code_dir: Path) -> None:
    """refuses, with a ValueError when the app is built, a name that is no token and a description with CR LF or non-ASCII

    Look at: ServerTiming.__init__: check the options once, before any request
    """
    ServerTiming = import_file(code_dir / "timing.py").ServerTiming

    async def app(scope, receive, send) -> None:
        pass

    for option, value in BAD:
        try:
            ServerTiming(app, **{option: value})
        except ValueError:
            continue
        except TypeError as e:
            raise AssertionError(f"ServerTiming(app, {option}=...) raised TypeError ({e}): it takes no {option} option yet") from None
        raise AssertionError(f"ServerTiming(app, {option}={value!r}) was accepted: want a ValueError")
