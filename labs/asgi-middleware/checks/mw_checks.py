"""What only this lab's checks share: the Server-Timing header parsed by its grammar, and a
response that must be a 200. Requests, waits and failure messages come from the kit
(onthewire.labs.kit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from onthewire.labs.kit import why
from onthewire.serving import Running

APPS = Path(__file__).parent / "apps"  # the apps the checks serve; `serve` puts them on the import path

# W3C Server Timing, "The Server-Timing Header Field", over RFC 9110's token and quoted-string.
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_QUOTED = r'"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"'
_NAME = re.compile(_TOKEN)
_PARAM = re.compile(rf"[ \t]*;[ \t]*({_TOKEN})[ \t]*=[ \t]*({_TOKEN}|{_QUOTED})")


@dataclass
class Metric:
    name: str
    params: dict[str, str] = field(default_factory=dict)  # names in lower case, quoted-strings unquoted
    text: str = ""

    @property
    def dur(self) -> float:
        """The dur parameter as a number of milliseconds; an AssertionError if it isn't one."""
        value = self.params.get("dur")
        assert value is not None, f"the metric {self.text!r} has no dur: want {self.name};dur=MILLISECONDS"
        try:
            return float(value)
        except ValueError:
            raise AssertionError(f"dur={value} in {self.text!r} is not a number of milliseconds") from None


def _elements(value: str) -> list[str]:
    """The members of a comma-separated list (RFC 9110 §5.6.1): commas inside quotes don't split."""
    members, current, quoted, escaped = [], "", False, False
    for char in value:
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            members.append(current)
            current = ""
            continue
        current += char
    members.append(current)
    return [m.strip(" \t") for m in members if m.strip(" \t")]


def _metric(text: str) -> Metric:
    name = _NAME.match(text)
    assert name, f"{text!r} is not a Server-Timing metric: it should start with a name (a token), like app;dur=12.3"
    metric, position = Metric(name.group(0), text=text), name.end()
    while position < len(text):
        param = _PARAM.match(text, position)
        assert param, (f"{text!r} is not a well-formed Server-Timing metric: after the name come ;param=value "
                       "pairs, each value a token or a quoted-string, like app;desc=\"Rendering\";dur=12.3")
        key, value = param.group(1).lower(), param.group(2)
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        metric.params.setdefault(key, value)  # the spec: only a parameter's first occurrence counts
        position = param.end()
    return metric


def metrics(response: httpx.Response) -> list[Metric]:
    """Every metric in every Server-Timing field of the response, in order."""
    return [_metric(text) for value in response.headers.get_list("server-timing") for text in _elements(value)]


def the_metric(response: httpx.Response, name: str = "app") -> Metric:
    """The one metric called `name`; an AssertionError naming what came instead."""
    found = metrics(response)
    mine = [m for m in found if m.name == name]
    what = f"{response.request.method} {response.request.url.path}"
    fields = response.headers.get_list("server-timing")
    assert fields, f"no Server-Timing header in the response to {what}"
    assert mine, f"no metric named {name!r} in the response to {what}; its Server-Timing: {fields}"
    assert len(mine) == 1, f"{len(mine)} metrics named {name!r} in the response to {what}, want one: {fields}"
    return mine[0]


def ok(response: httpx.Response, server: Running) -> httpx.Response:
    """The response, if its status is 200; else an AssertionError with the server's last error."""
    what = f"{response.request.method} {response.request.url.path}"
    assert response.status_code == 200, f"{what} answered {response.status_code}{why(server)}"
    return response
