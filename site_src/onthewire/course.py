"""The course's structure: modules (site_src/course.toml) and labs (labs/*/lab.toml).

Every reader of lab metadata goes through here, so a malformed lab.toml is reported the
same way by the site build, `wire` and the tests.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import tomllib

from onthewire import paths


class CourseError(Exception):
    """A problem with the course's own files, reported as one line that names the file."""


@dataclass(frozen=True)
class Module:
    id: str
    title: str
    position: int
    summary: str = ""  # one line for the home page's list
    pages: tuple[str, ...] = ()  # docs/<id>/ pages, in reading order: the nav's section
    notebooks: tuple[str, ...] = ()  # notebooks/<id>/<name>.ipynb, after the pages

    @property
    def nav(self) -> list[str]:
        """The module's section of the site's nav: its pages, then its notebooks' pages."""
        return [f"{self.id}/{page}" for page in self.pages] + [f"{self.id}/notebooks/{nb}.md" for nb in self.notebooks]


@dataclass(frozen=True)
class Hint:
    """A question that leads, and the checks it helps with: check files (`test_3_handshake.py`)
    or single checks (`test_3_handshake.py::test_refuses_foreign_origin`), as glob patterns."""

    text: str
    checks: tuple[str, ...] = ()

    def helps_with(self, check: str) -> bool:
        """Whether this hint is for `check`, a check's id relative to checks/ ("file.py::name")."""
        file, _, name = check.partition("::")
        name = name.split("[", 1)[0]  # a parametrized check is one check for its hints
        return any(fnmatch.fnmatchcase(f"{file}::{name}", p if "::" in p else f"{p}::*") for p in self.checks)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Lab:
    id: str
    title: str
    module: str
    order: int
    minutes: int
    summary: str
    objectives: tuple[str, ...]
    hints: tuple[Hint, ...]
    peers: tuple[str, ...]
    run: tuple[str, ...]
    default_port: int
    default_app: str | None
    path: Path = field(compare=False)
    scheme: str = "http"  # how a client reaches what `wire start` runs: http, https (TLS), or ws
    check_deadline: float = 30.0  # [checks] deadline: seconds any one check may take, whatever it waits for

    @property
    def readme(self) -> Path:
        return self.path / "README.md"

    @property
    def starter(self) -> Path:
        return self.path / "starter"

    @property
    def solution(self) -> Path:
        return self.path / "solution"

    @property
    def checks(self) -> Path:
        return self.path / "checks"

    @property
    def takes_app(self) -> bool:
        return self.default_app is not None


_LAB_FIELDS: dict[str, type | tuple[type, ...]] = {
    "title": str,
    "module": str,
    "order": int,
    "minutes": int,
    "summary": str,
    "objectives": list,
    "hints": list,
    "peers": list,
    "run": list,
    "default_port": int,
}


# The [checks] table: how the harness runs a lab's checks.
_CHECKS_FIELDS = {"deadline"}
DEFAULT_CHECK_DEADLINE = 30.0  # seconds: ten times the slowest check here (a browser check, 3 s)
_MOST_DEADLINE = 300  # seconds; `wire check` gives all of a lab's checks 600


def _checks_problems(checks: object) -> list[str]:
    if not isinstance(checks, dict):
        return ["[checks] should be a table, like: [checks] deadline = 20"]
    problems = []
    unknown = set(checks) - _CHECKS_FIELDS
    if unknown:
        problems.append("unknown keys in [checks]: " + ", ".join(sorted(unknown)))
    deadline = checks.get("deadline", DEFAULT_CHECK_DEADLINE)
    if isinstance(deadline, bool) or not isinstance(deadline, (int, float)) or not 0 < deadline <= _MOST_DEADLINE:
        problems.append(f"[checks] deadline should be a number of seconds above 0 and at most {_MOST_DEADLINE}, "
                        f"not {deadline!r}")
    return problems


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise CourseError(f"{_rel(path)} is missing") from None
    except tomllib.TOMLDecodeError as e:
        raise CourseError(f"{_rel(path)} is not valid TOML: {e}") from None


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(paths.ROOT))
    except ValueError:
        return str(path)


@lru_cache(maxsize=None)
def modules() -> tuple[Module, ...]:
    data = _read_toml(paths.COURSE_FILE)
    found = []
    for position, entry in enumerate(data.get("modules", []), start=1):
        if not isinstance(entry.get("id"), str) or not isinstance(entry.get("title"), str):
            raise CourseError(f"{_rel(paths.COURSE_FILE)}: module {position} needs an id and a title")
        where = f"{_rel(paths.COURSE_FILE)}: module {entry['id']!r}"
        summary = entry.get("summary", "")
        if not isinstance(summary, str):
            raise CourseError(f"{where}: summary must be a string")
        pages, notebooks = entry.get("pages", []), entry.get("notebooks", [])
        for key, value in (("pages", pages), ("notebooks", notebooks)):
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise CourseError(f"{where}: {key} must be a list of file names")
        if "index.md" not in pages[:1]:
            raise CourseError(f'{where}: pages must start with "index.md", the module\'s overview')
        found.append(Module(entry["id"], entry["title"], position, summary, tuple(pages), tuple(notebooks)))
        _check_folders(found[-1], where)
    return tuple(found)


def _check_folders(module: Module, where: str) -> None:
    """course.toml and the module's folders name the same files: no page is left out of the nav."""
    docs, nbs = paths.DOCS / module.id, paths.NOTEBOOKS / module.id
    for page in module.pages:
        if not (docs / page).is_file():
            raise CourseError(f"{where} lists {page}, but docs/{module.id}/{page} does not exist")
    for nb in module.notebooks:
        if not (nbs / f"{nb}.ipynb").is_file():
            raise CourseError(f"{where} lists notebook {nb!r}, but notebooks/{module.id}/{nb}.ipynb does not exist")
    for page in sorted(docs.glob("*.md")):
        if page.name not in module.pages:
            raise CourseError(f"docs/{module.id}/{page.name} is in no module's pages: add it to {where}")
    for nb in sorted(nbs.glob("*.ipynb")):
        if nb.stem not in module.notebooks:
            raise CourseError(f"notebooks/{module.id}/{nb.name} is in no module's notebooks: add it to {where}")


def module(module_id: str) -> Module:
    for m in modules():
        if m.id == module_id:
            return m
    raise CourseError(f"unknown module {module_id!r}")


def _hint(entry: str | dict) -> Hint:
    if isinstance(entry, str):
        return Hint(entry)
    return Hint(entry["text"], tuple(entry.get("checks", ())))


def _hint_problems(hints: list) -> list[str]:
    """A hint is a question, or a table {text = "...?", checks = ["test_1_x.py", ...]}."""
    problems = []
    for number, entry in enumerate(hints, start=1):
        if isinstance(entry, str):
            continue
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            problems.append(f"hint {number} needs a text")
        elif set(entry) - {"text", "checks"}:
            problems.append(f"hint {number}: unknown keys " + ", ".join(sorted(set(entry) - {"text", "checks"})))
        elif not (isinstance(entry.get("checks", []), list) and all(isinstance(c, str) for c in entry.get("checks", []))):
            problems.append(f"hint {number}: checks is a list of check files or file::check patterns")
    return problems


def load_lab(path: Path) -> Lab:
    """Read and validate one lab folder's lab.toml."""
    file = path / "lab.toml"
    data = _read_toml(file)
    problems = []
    for key, kind in _LAB_FIELDS.items():
        if key not in data:
            problems.append(f"missing '{key}'")
        elif not isinstance(data[key], kind) or (kind is int and isinstance(data[key], bool)):
            problems.append(f"'{key}' should be a {kind.__name__}")
    unknown = set(data) - set(_LAB_FIELDS) - {"default_app", "scheme", "checks"}
    if unknown:
        problems.append("unknown keys: " + ", ".join(sorted(unknown)))
    if not problems:
        if data["module"] not in {m.id for m in modules()}:
            problems.append(f"module {data['module']!r} is not in {_rel(paths.COURSE_FILE)}")
        if not data["hints"]:
            problems.append("needs at least one hint")
        problems.extend(_hint_problems(data["hints"]))
        if "{port}" not in data["run"]:
            problems.append("'run' must pass {port} to the server")
        if ("{app}" in data["run"]) != ("default_app" in data):
            problems.append("'run' uses {app} exactly when 'default_app' is set")
        if data.get("scheme", "http") not in ("http", "https", "ws"):
            problems.append("'scheme' is http, https or ws")
        problems.extend(_checks_problems(data.get("checks", {})))
        for part in ("README.md", "starter", "solution", "checks"):
            if not (path / part).exists():
                problems.append(f"missing {part}")
    if problems:
        raise CourseError(f"{_rel(file)}: " + "; ".join(problems))
    return Lab(
        id=path.name,
        title=data["title"],
        module=data["module"],
        order=data["order"],
        minutes=data["minutes"],
        summary=data["summary"],
        objectives=tuple(data["objectives"]),
        hints=tuple(_hint(h) for h in data["hints"]),
        peers=tuple(data["peers"]),
        run=tuple(data["run"]),
        default_port=data["default_port"],
        default_app=data.get("default_app"),
        path=path,
        scheme=data.get("scheme", "http"),
        check_deadline=float(data.get("checks", {}).get("deadline", DEFAULT_CHECK_DEADLINE)),
    )


@lru_cache(maxsize=None)
def labs() -> tuple[Lab, ...]:
    """Every lab, in course order (module order, then the lab's order in its module).

    A lab is a folder of labs/ with a lab.toml; one without (a lab being written) is not one
    yet, and must not stop `wire` from running the others (tests/labs checks none is left).
    """
    found = [
        load_lab(d)
        for d in sorted(paths.LABS.iterdir())
        if d.is_dir() and not d.name.startswith((".", "_")) and (d / "lab.toml").exists()
    ]
    position = {m.id: m.position for m in modules()}
    return tuple(sorted(found, key=lambda lab: (position[lab.module], lab.order, lab.id)))


def lab(lab_id: str) -> Lab:
    for candidate in labs():
        if candidate.id == lab_id:
            return candidate
    known = ", ".join(x.id for x in labs())
    raise CourseError(f"unknown lab {lab_id!r}; the labs are: {known}")
