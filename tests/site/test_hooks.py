"""What the site's hooks refuse: each mistake fails the build with a message naming it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from onthewire import paths, versions
from onthewire.site import runs, workshop

MKDOCS = str(Path(sys.executable).parent / "mkdocs")


def build_variant(tmp_path: Path, pages: dict[str, str]) -> subprocess.CompletedProcess:
    """Build the real configuration (theme, extensions, hooks) and pages, plus a few of our own."""
    docs = tmp_path / "docs"
    shutil.copytree(paths.DOCS, docs)
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text)
    config = (paths.ROOT / "mkdocs.yml").read_text()
    config = config.replace("docs_dir: docs", f"docs_dir: {docs}")
    config = config.replace("site_src/onthewire/site/hooks.py", str(paths.SITE_SRC / "onthewire/site/hooks.py"))
    config = config.replace("base_path: [site_src/snippets, labs]", f"base_path: [{paths.SNIPPETS}, {paths.LABS}]")
    config = re.sub(r"\nwatch:\n(?:  - .*\n)+", "\n", config)
    config = config.split("\nnav:")[0] + "\nnot_in_nav: |\n  /*\n"
    (tmp_path / "mkdocs.yml").write_text(config)
    return subprocess.run([MKDOCS, "build", "--strict", "-f", str(tmp_path / "mkdocs.yml"), "-d", str(tmp_path / "site")],
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)


GOOD = "---\ntitle: T\nobjectives: [o]\nkeypoints: [k]\nminutes: {teaching: 5, exercises: 5}\n---\n\n"


def test_the_variant_build_itself_passes(tmp_path: Path) -> None:
    page = GOOD + (
        "<!-- lab: http-server -->\n\n"
        "h11 <!-- version: h11 --> and nginx <!-- version-minor: nginx -->; "
        "the status was <!-- quote: http/messages.py /HTTP/1\\.1 (\\d{3})/ -->.\n"
    )
    result = build_variant(tmp_path, {"http/extra.md": page})
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "http" / "extra" / "index.html").read_text()
    assert "Open the lab" in html
    assert f"h11 {versions.version('h11')} and nginx {versions.minor('nginx')};" in html
    status = re.search(r"HTTP/1\.1 (\d{3})", runs.output("http/messages.py")).group(1)
    assert f"the status was {status}." in html


def test_versions_come_from_what_is_installed() -> None:
    from importlib import metadata

    assert versions.version("uvicorn") == metadata.version("uvicorn")
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr
    assert f"nginx/{versions.version('nginx')}" in nginx
    assert versions.version("nginx").startswith(versions.minor("nginx") + ".")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (GOOD + "<!-- lab: no-such-lab -->\n", "unknown lab 'no-such-lab'"),
        (GOOD + '```python\n--8<-- "http/no_such_file.py"\n```\n', "includes http/no_such_file.py, which is in neither"),
        (GOOD + '```python\n--8<-- "http-server/starter/server.py:no-such-section"\n```\n', "section 'no-such-section'"),
        ("---\ntitle: T\nobjectives: [o]\n---\n\nNo minutes.\n", "missing 'keypoints'; missing 'minutes'"),
        (GOOD + "<!-- wire: no-such-thing -->\n", "unknown tag <!-- wire: no-such-thing -->"),
        (GOOD + "<!-- run: no_such_snippet.py -->\n", "no snippet 'no_such_snippet.py'"),
        (GOOD + "<!-- benchmark: no_such_benchmark -->\n", "no results for benchmark 'no_such_benchmark'"),
        (GOOD + "<!-- version: no-such-distribution -->\n", "no installed distribution 'no-such-distribution'"),
        (GOOD + "<!-- quote: http/messages.py /no such text in it/ -->\n", "matches nothing that http/messages.py printed"),
        (GOOD + "<!-- course: no-such-list -->\n", "unknown tag <!-- course: no-such-list -->"),
    ],
    ids=["unknown-lab", "missing-include", "missing-section", "front-matter", "unknown-tag", "missing-run",
         "missing-benchmark", "unknown-version", "quote-unmatched", "unknown-course-list"],
)
def test_mistakes_fail_the_build_by_name(tmp_path: Path, page: str, expected: str) -> None:
    result = build_variant(tmp_path, {"http/broken.md": page})
    assert result.returncode != 0
    assert expected in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_schedule_breaks_at_most_every_90_minutes_and_lunches_once() -> None:
    items = [workshop.Item(f"p{i}", "page", 40, "M") for i in range(8)]
    rows = workshop.schedule(items)
    kinds = [r[2] for r in rows]
    assert kinds.count("break") >= 3
    assert [r[1] for r in rows].count("Lunch") == 1
    since = 0
    for _, what, kind, minutes in rows:
        since = 0 if kind == "break" else since + minutes
        assert since <= 90 or minutes > 90
    assert rows[0][0] == "09:00" and rows[-1][1] == "End"


def test_instructor_notes_are_found_with_their_titles() -> None:
    text = 'Intro\n\n??? instructor "Timing"\n    Go slow here.\n\n    Demo it live.\n\nAfter.\n'
    assert workshop.instructor_notes(text) == [("Timing", "Go slow here.\n\nDemo it live.")]
    assert re.search("After", text)
