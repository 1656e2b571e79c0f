"""Lab READMEs read as files (an editor, a repository browser) as well as on the site: no
include line shows as text there, and every relative link is a file from the lab's folder."""

from __future__ import annotations

import re

import pytest

from onthewire import course
from onthewire.site import labpages

LABS = [lab.id for lab in course.labs()]
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("lab_id", LABS)
def test_the_readme_reads_as_a_file(lab_id: str) -> None:
    lab = course.lab(lab_id)
    text = lab.readme.read_text()
    assert "--8<--" not in text, f"labs/{lab_id}/README.md: use <!-- include: FILE -->, which a file view hides"
    for match in labpages.INCLUDE.finditer(text):
        assert (lab.path / match.group(1)).is_file(), f"labs/{lab_id}/README.md includes {match.group(1)}, not in the lab"
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = target.split("#", 1)[0]
        assert (lab.path / path).exists(), f"labs/{lab_id}/README.md links {target}: no such file from the lab's folder"
