"""The site builds strictly, holds every kind of page, and loads nothing from another host."""

from __future__ import annotations

import html
import re
from pathlib import Path

from onthewire import course, paths


def text_of(page: Path) -> str:
    """A built page's text, as a reader sees it (code highlighting splits words into spans)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))


LOCAL = re.compile(r"^(?:https?:)?//(?:127\.0\.0\.1|localhost)(?::\d+)?(?:/|$)")


def test_every_kind_of_page_is_built(built_site: Path) -> None:
    assert (built_site / "index.html").exists()
    for module in course.modules():
        assert (built_site / module.id / "index.html").exists()
    assert (built_site / "labs" / "index.html").exists()
    for lab in course.labs():
        page = text_of(built_site / "labs" / lab.id / "index.html")
        assert lab.title in page and f"wire start {lab.id}" in page
    assert (built_site / "workshop" / "index.html").exists()
    assert (built_site / "assets" / "vendor" / "mermaid.min.js").stat().st_size > 1_000_000


def test_each_notebook_is_a_page_with_its_ipynb_to_download(built_site: Path) -> None:
    notebooks = sorted(paths.NOTEBOOKS.rglob("*.ipynb"))
    assert notebooks
    for nb in notebooks:
        rel = nb.relative_to(paths.NOTEBOOKS)
        folder = built_site / rel.parts[0] / "notebooks"
        page = (folder / nb.stem / "index.html").read_text()
        assert (folder / nb.name).read_bytes() == nb.read_bytes()
        assert f'href="../{nb.name}"' in page and "download" in page
        assert "make notebooks" in page
        # How long it ran is measured by the build, never typed into the notebook.
        assert re.search(r"its cells ran in \d+ s", text_of(folder / nb.stem / "index.html"))
        assert not re.search(r"(?:cells|notebook|cell) runs? (?:for |in )?about", nb.read_text())


def test_the_home_page_lists_every_module_and_lab_in_course_order(built_site: Path) -> None:
    home = (built_site / "index.html").read_text()
    positions = [home.find(f'href="{m.id}/"') for m in course.modules()]
    assert -1 not in positions and positions == sorted(positions)
    for lab in course.labs():
        assert f'href="labs/{lab.id}/"' in home


def test_no_page_loads_anything_from_another_host(built_site: Path) -> None:
    """Scripts, styles, images, fonts and frames all come from the site itself."""
    loads = re.compile(r'<(?:script|img|iframe|source)[^>]*\ssrc="([^"]+)"|<link[^>]*\shref="([^"]+)"[^>]*>')
    for page in built_site.rglob("*.html"):
        for match in loads.finditer(page.read_text()):
            url = match.group(1) or match.group(2)
            if url.startswith(("http:", "https:", "//")):
                assert LOCAL.match(url), f"{page.relative_to(built_site)} loads {url}"
    for css in built_site.rglob("*.css"):
        for url in re.findall(r"url\(['\"]?(https?:[^)'\"]+)", css.read_text()):
            raise AssertionError(f"{css.relative_to(built_site)} loads {url}")


def test_mermaid_diagrams_are_on_module_pages(built_site: Path) -> None:
    for module in course.modules():
        pages = (built_site / module.id).rglob("index.html")
        assert any('class="mermaid"' in p.read_text() for p in pages), f"module {module.id} has no diagram"


def test_module_pages_show_objectives_minutes_and_keypoints(built_site: Path) -> None:
    page = (built_site / "wsgi" / "index.html").read_text()
    assert "In this lesson:" in page and "min teaching" in page and "Key points" in page


def test_workshop_guide_has_a_schedule_with_breaks_and_the_instructor_notes(built_site: Path) -> None:
    page = text_of(built_site / "workshop" / "index.html")
    assert "09:00" in page and "Break" in page
    for lab in course.labs():
        assert f"Lab: {lab.title}" in page
    assert "No page has instructor notes yet." not in page


def test_checklist_shows_the_real_cli_help(built_site: Path) -> None:
    page = text_of(built_site / "workshop" / "checklist" / "index.html")
    assert "usage: wire" in page and "wire doctor --help" in page


def test_a_snippet_that_prints_markdown_becomes_part_of_the_page(built_site: Path) -> None:
    page = (built_site / "http2" / "servers" / "index.html").read_text()
    table = page[page.index("<table"):page.index("</table>")]
    assert "hypercorn" in table and "<td>h2</td>" in table
