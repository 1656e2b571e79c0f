"""The course's structure files agree with each other."""

from __future__ import annotations

import yaml

from onthewire import course, paths


class _Loader(yaml.SafeLoader):
    pass


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def test_nav_lists_the_modules_in_course_order() -> None:
    config = yaml.load((paths.ROOT / "mkdocs.yml").read_text(), Loader=_Loader)
    sections = [next(iter(entry)) for entry in config["nav"] if isinstance(entry, dict) and isinstance(next(iter(entry.values())), list)]
    titles = [m.title for m in course.modules()]
    assert [s for s in sections if s in titles] == titles


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
