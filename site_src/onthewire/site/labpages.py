"""Pages made from lab.toml and README.md: a page per lab, the labs index, and lab cards."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from onthewire import course
from onthewire.labs import workspace


def page_uri(lab: course.Lab) -> str:
    return f"labs/{lab.id}.md"


def link(from_uri: str, to_uri: str) -> str:
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


# A README is read in two places: as a file (an editor, a repository browser), from the lab's
# folder, and as the lab's page on the site. It is written for the first, and the page adapts:
# - `<!-- include: starter/app.py:section -->` on a line of its own, invisible in the file,
#   shows that file (or section) on the page; the sentence before it names the file for both;
# - links into the course's pages are file paths from the lab folder, `../../docs/X.md`;
# - links to the lab's own files (`starter/app.py`) are files to open, not pages: plain code.
INCLUDE = re.compile(r"^<!--\s*include:\s*([\w./-]+?)(?::([\w-]+))?\s*-->$", re.MULTILINE)
_LANGUAGES = {".py": "python", ".conf": "nginx", ".toml": "toml", ".html": "html", ".js": "javascript", ".sh": "bash"}
_DOCS_LINK = re.compile(r"\]\(\.\./\.\./docs/")
_OWN_FILE_LINK = re.compile(r"\[([^\]]+)\]\(((?:starter|solution|given|checks|examples)/[^)\s]+)\)")


def _include(lab: course.Lab, match: re.Match) -> str:
    rel, section = match.group(1), match.group(2)
    language = _LANGUAGES.get(Path(rel).suffix, "text")
    target = f"{lab.id}/{rel}" + (f":{section}" if section else "")
    return f'```{language} title="{rel}"\n--8<-- "{target}"\n```'


def _task(lab: course.Lab) -> str:
    text = lab.readme.read_text()
    # The page carries the title; drop the README's own first heading.
    text = re.sub(r"\A\s*# [^\n]*\n", "", text, count=1)
    text = INCLUDE.sub(lambda m: _include(lab, m), text)
    text = _DOCS_LINK.sub("](../", text)
    return _OWN_FILE_LINK.sub(lambda m: m.group(1) if m.group(1).strip("`") == m.group(2) else f"{m.group(1)} (`{m.group(2)}`)", text)


def _listing(root: Path) -> str:
    return ", ".join(f"`{rel.as_posix()}`" for rel in workspace.files(root)) if root.is_dir() else ""


def _files_note(lab: course.Lab) -> str:
    """Which files are the learner's to edit and which are given, read from the folders."""
    note = f"In `workspace/{lab.id}/`, yours to edit: {_listing(lab.starter)} (look for TODO)."
    given = _listing(workspace.given(lab))
    if given:
        note += f" Given, to read but not to edit: {given}."
    return note


def lab_page(lab: course.Lab) -> str:
    module = course.module(lab.module)
    objectives = "\n".join(f"- {o}" for o in lab.objectives)
    hints = "\n".join(
        f'??? question "Hint {i}"\n    {hint.text}\n' for i, hint in enumerate(lab.hints, start=1)
    )
    app = " [APP]" if lab.takes_app else ""
    return f"""---
title: "Lab: {lab.title}"
---

# Lab: {lab.title}

!!! abstract "At a glance"
    **Module:** {module.title} · **Time:** {lab.minutes} minutes · **Checked with:** {", ".join(lab.peers)}

    {lab.summary}

## You will

{objectives}

## Start, check, finish

Run these in the course folder, after `make serve` or `make test` has set it up once:

```bash
.venv/bin/wire start {lab.id}{app}    # copies the starter into workspace/{lab.id}/ and runs it
.venv/bin/wire check {lab.id}         # runs the checks against your code
.venv/bin/wire hint {lab.id}          # the next hint
.venv/bin/wire solution {lab.id}      # the diff to the reference solution
```

{_files_note(lab)}

{_task(lab)}

## Hints

Open them one at a time, or ask `wire hint {lab.id}`.

{hints}
"""


def labs_index() -> str:
    rows = []
    for lab in course.labs():
        module = course.module(lab.module)
        rows.append(f"| [{lab.title}]({lab.id}.md) | {module.title} | {lab.minutes} min | `wire start {lab.id}` |")
    table = "\n".join(rows)
    return f"""---
title: Labs
---

# Labs

Each lab is a small program you finish from starter code and check with one command. The
checks start your code as a real server and talk to it with real clients.

| Lab | Module | Time | Start |
|-----|--------|------|-------|
{table}

`wire list` shows the same list in your terminal, with your progress.
"""


CARD = re.compile(r"<!--\s*lab:\s*([\w.-]+)\s*-->")


def expand_cards(markdown: str, page_uri_: str) -> str:
    """Replace each `<!-- lab: ID -->` with a card; an unknown ID fails the build."""

    def card(match: re.Match) -> str:
        lab = course.lab(match.group(1))  # raises CourseError naming the known labs
        href = link(page_uri_, page_uri(lab))
        return (
            f'!!! lab "Lab: {lab.title} ({lab.minutes} min)"\n'
            f"    {lab.summary}\n\n"
            f"    Start it with `wire start {lab.id}`, check it with `wire check {lab.id}`. "
            f"[Open the lab]({href})\n"
        )

    return CARD.sub(card, markdown)
