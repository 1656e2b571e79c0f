"""The course's structure files agree with each other."""

from __future__ import annotations

import pytest
import yaml

from onthewire import course, paths


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def test_the_nav_takes_its_modules_from_course_toml() -> None:
    config = yaml.load((paths.ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    assert {"Modules": "course.toml"} in config["nav"]
    sections = [next(iter(entry)) for entry in config["nav"] if isinstance(entry, dict)]
    assert not set(sections) & {m.title for m in course.modules()}, "a module typed into mkdocs.yml's nav"


def test_every_page_and_notebook_of_a_module_is_in_course_toml() -> None:
    for m in course.modules():
        assert sorted(m.pages) == sorted(p.name for p in (paths.DOCS / m.id).glob("*.md"))
        assert sorted(m.notebooks) == sorted(p.stem for p in (paths.NOTEBOOKS / m.id).glob("*.ipynb"))
        assert m.pages[0] == "index.md"


def test_a_page_left_out_of_course_toml_is_named(tmp_path, monkeypatch) -> None:
    docs = tmp_path / "docs"
    for m in course.modules():
        (docs / m.id).mkdir(parents=True)
        for page in m.pages:
            (docs / m.id / page).write_text("")
    (docs / "http" / "extra.md").write_text("")
    monkeypatch.setattr(paths, "DOCS", docs)
    course.modules.cache_clear()
    try:
        with pytest.raises(course.CourseError, match=r"docs/http/extra\.md is in no module's pages: add it to site_src/course\.toml: module 'http'"):
            course.modules()
    finally:
        course.modules.cache_clear()


def test_labs_follow_module_order() -> None:
    order = [m.id for m in course.modules()]
    positions = [order.index(lab.module) for lab in course.labs()]
    assert positions == sorted(positions)


def test_a_malformed_lab_toml_is_one_clear_line(tmp_path) -> None:
    lab = tmp_path / "broken-lab"
    lab.mkdir()
    (lab / "lab.toml").write_text('title = "x"\nminutes = "ten"\n')
    try:
        course.load_lab(lab)
    except course.CourseError as e:
        message = str(e)
    else:
        raise AssertionError("a malformed lab.toml was accepted")
    assert "lab.toml" in message and "'minutes' should be a int" in message and "missing 'module'" in message
    (lab / "lab.toml").write_text("title = [\n")
    try:
        course.load_lab(lab)
    except course.CourseError as e:
        assert "not valid TOML" in str(e)
