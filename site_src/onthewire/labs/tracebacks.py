"""Python tracebacks in what a learner's server printed, and errors in the learner's files.

A check that passes while the server prints a traceback on every request hides a bug (a
handler that goes on after refusing a client, say); a server that cannot even import the
learner's file would fail every check with the same message. The harness uses these to fail
the first and to stop the run on the second, naming the file and line as Python printed them.
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from pathlib import Path

_START = re.compile(r"^[ +|]*Traceback \(most recent call last\):$", re.MULTILINE)
_FILE = re.compile(r'^\s*[+|]?\s*File "([^"]+)", line (\d+)(?:, in (.+))?$')


@dataclass(frozen=True)
class Found:
    """One traceback: its last lines as Python printed them, and its final error line."""

    error: str  # "ValueError: boom"
    place: str  # 'app.py, line 12, in endpoint', or "" when no frame was given
    text: str  # the traceback's lines from the first frame in the learner's code (or all of it)
    own: bool = False  # it passed through the learner's code


def _relative(file: str, base: Path | None) -> str:
    if base is not None:
        try:
            return str(Path(file).resolve().relative_to(base.resolve()))
        except ValueError:
            pass
    return file


def _blocks(output: str) -> list[list[str]]:
    """Each traceback in `output`: its lines, up to and including the error line."""
    blocks = []
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if not _START.match(line):
            continue
        block = [line]
        for following in lines[index + 1:]:
            block.append(following)
            # The error line is the first that is not indented (nor a frame of a group).
            if following and not following[0].isspace() and not following.startswith(("+", "|")):
                break
        blocks.append(block)
    return blocks


def last(output: str, base: Path | None = None, *, through: bool = False) -> Found | None:
    """The last traceback in `output`, with paths shown relative to `base` (the code under check).

    With `through=True`, the last one that passed through a file under `base`: a traceback that
    is all a server's own (uvicorn's, say) is not the learner's doing.
    """
    found = [_found(block, base) for block in _blocks(output)]
    if through:
        found = [f for f in found if f.own]
    return found[-1] if found else None


def _found(block: list[str], base: Path | None) -> Found:
    error = block[-1].strip()
    frames = [(i, _FILE.match(line)) for i, line in enumerate(block)]
    frames = [(i, m) for i, m in frames if m]
    place, first_own, own = "", 1, []
    if frames:
        own = [(i, m) for i, m in frames if base is not None and _relative(m.group(1), base) != m.group(1)]
        index, match = (own or frames)[-1]
        place = f"{_relative(match.group(1), base)}, line {match.group(2)}" + (f", in {match.group(3)}" if match.group(3) else "")
        first_own = own[0][0] if own else 1
    text = "\n".join(_FILE.sub(lambda m: m.group(0).replace(m.group(1), _relative(m.group(1), base)), line)
                     for line in [block[0], *block[first_own:]])
    return Found(error, place, text, own=bool(frames) and bool(own))


def syntax_errors(folder: Path) -> str | None:
    """The first Python file under `folder` that does not compile, as Python reports it."""
    for path in sorted(folder.rglob("*.py")):
        if any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(folder).parts):
            continue
        try:
            compile(path.read_bytes(), str(path.relative_to(folder)), "exec")
        except SyntaxError as e:
            return "".join(traceback.format_exception_only(e)).rstrip()
        except ValueError:  # a NUL byte, say: not Python
            continue
    return None
