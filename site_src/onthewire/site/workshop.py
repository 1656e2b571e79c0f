"""The workshop guide's computed parts: a schedule with breaks, and the instructor notes that
pages keep in `??? instructor` blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass

START = 9 * 60  # 09:00
BREAK_EVERY = 90  # a 15-minute break after at most this much teaching
BREAK = 15
LUNCH_AFTER = 180
LUNCH = 60


@dataclass(frozen=True)
class Item:
    title: str
    kind: str  # "page", "lab"
    minutes: int
    module: str


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def schedule(items: list[Item]) -> list[tuple[str, str, str, int]]:
    """(time, what, kind, minutes) rows, with breaks inserted between items."""
    rows = []
    now, since_break, lunch_done, elapsed = START, 0, False, 0
    for item in items:
        if since_break and since_break + item.minutes > BREAK_EVERY:
            if not lunch_done and elapsed >= LUNCH_AFTER:
                rows.append((_clock(now), "Lunch", "break", LUNCH))
                now += LUNCH
                lunch_done = True
            else:
                rows.append((_clock(now), "Break", "break", BREAK))
                now += BREAK
            since_break = 0
        title = "overview" if item.title == item.module else item.title
        rows.append((_clock(now), f"{item.module}: {title}", item.kind, item.minutes))
        now += item.minutes
        since_break += item.minutes
        elapsed += item.minutes
    rows.append((_clock(now), "End", "", 0))
    return rows


def schedule_markdown(items: list[Item]) -> str:
    lines = ["| Time | What | Kind | Minutes |", "|------|------|------|---------|"]
    for time, what, kind, minutes in schedule(items):
        lines.append(f"| {time} | {what} | {kind} | {minutes or ''} |")
    teaching = sum(i.minutes for i in items)
    lines.append("")
    lines.append(f"Teaching and exercises: {teaching} minutes, in {len(items)} sessions, breaks not counted.")
    return "\n".join(lines)


NOTE = re.compile(r'^\?\?\?\+?\s+instructor(?:\s+"([^"]*)")?\s*\n((?:(?:    .*)?\n)+)', re.MULTILINE)


def instructor_notes(markdown: str) -> list[tuple[str, str]]:
    """(title, body) of each `??? instructor "Title"` block, body dedented."""
    found = []
    for match in NOTE.finditer(markdown + "\n"):
        body = "\n".join(line[4:] for line in match.group(2).splitlines()).strip()
        found.append((match.group(1) or "Instructor notes", body))
    return found
