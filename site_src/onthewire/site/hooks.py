"""MkDocs hooks (mkdocs.yml `hooks:`): everything the site adds to plain MkDocs + Material.

- notebooks/**.ipynb become executed pages (cached), each with its .ipynb to download;
- labs/*/ become a page each plus an index; `<!-- lab: ID -->` in a page becomes a lab card;
- module pages must carry objectives, keypoints and minutes, shown at the top and bottom;
- `<!-- run: SNIPPET -->` shows what a snippet printed when the site was built (as text;
  `<!-- run-markdown: SNIPPET -->` for a snippet that prints Markdown, such as a table);
- `<!-- wire: help -->`, `<!-- wire: doctor-checks -->` show the real CLI's text;
- `<!-- workshop: schedule -->` and `<!-- workshop: instructor-notes -->` are computed;
- `<!-- benchmark: NAME -->` renders benchmarks/results/NAME.json as a table;
- `<!-- version: NAME -->` is the installed version of a distribution or program
  (`<!-- version-minor: NAME -->` its major.minor), so prose never names a stale one;
- `<!-- quote: SNIPPET /REGEX/ -->` is what REGEX (its first group, if it has one) matched
  in the snippet's build output: a number in a sentence is the number the run printed;
- `<!-- course: modules -->` lists the modules of site_src/course.toml, with their labs.

Any unknown name in these tags fails the build, like a broken include.
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from onthewire import course, paths, versions
from onthewire.site import labpages, notebooks, runs, vendor, workshop

log = logging.getLogger("mkdocs.plugins.onthewire")

_state: dict = {}


def _fail(message: str) -> PluginError:
    return PluginError(message)


# --- config: the nav's module sections and labs come from course.toml and labs/, in order --

MODULES_ENTRY = {"Modules": "course.toml"}  # mkdocs.yml's place for the modules' sections


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    try:
        all_labs = course.labs()
        all_modules = course.modules()
    except course.CourseError as e:
        raise _fail(str(e)) from None
    nav = []
    for entry in config.nav or []:
        if entry == MODULES_ENTRY:
            nav.extend({m.title: m.nav} for m in all_modules)
            continue
        if isinstance(entry, dict) and entry.get("Labs") == "labs/index.md":
            entry["Labs"] = ["labs/index.md", *({lab.title: labpages.page_uri(lab)} for lab in all_labs)]
        nav.append(entry)
    if config.nav is not None and MODULES_ENTRY not in config.nav:
        raise _fail("mkdocs.yml: the nav needs '- Modules: course.toml', where the modules' sections go")
    config.nav = nav
    return config


# --- files --------------------------------------------------------------------------------

def notebook_uri(nb: Path) -> str:
    rel = nb.relative_to(paths.NOTEBOOKS)
    return f"{rel.parts[0]}/notebooks/{'/'.join(rel.parts[1:])}"


def _notebook_page(nb: Path, uri: str) -> str:
    try:
        rendered = notebooks.render(nb)
    except notebooks.NotebookFailed as e:
        raise _fail(str(e)) from None
    log.info("notebook %s: %s", nb.relative_to(paths.ROOT), "from cache" if rendered.from_cache else "executed")
    name = nb.name
    rel = nb.relative_to(paths.ROOT)
    # Measured, not estimated: the kernel's start included, on the machine that built the site.
    ran = "" if rendered.seconds is None else f" (its cells ran in {max(1, round(rendered.seconds))} s)"
    header = (
        f'!!! tip "Run this notebook yourself"\n'
        f"    This page is the notebook `{rel}`, executed when the site was built{ran}.\n"
        f"    [Download {name}]({name}){{ download }}, or open it in the course's JupyterLab:\n"
        f"    run `make notebooks` in the course folder and open `{rel.relative_to('notebooks')}`.\n\n"
    )
    body = rendered.markdown
    # Keep the notebook's own first heading first, then the tip.
    match = re.match(r"\s*(# [^\n]*\n)", body)
    if match:
        return match.group(1) + "\n" + header + body[match.end():]
    return header + body


def on_files(files: Files, config: MkDocsConfig) -> Files:
    all_labs = course.labs()  # read and checked in on_config
    for nb in sorted(paths.NOTEBOOKS.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in nb.parts:
            continue
        uri = notebook_uri(nb)
        page_uri = uri[: -len(".ipynb")] + ".md"
        files.append(File.generated(config, page_uri, content=_notebook_page(nb, page_uri)))
        files.append(File.generated(config, uri, abs_src_path=str(nb)))
    files.append(File.generated(config, "labs/index.md", content=labpages.labs_index()))
    for lab in all_labs:
        files.append(File.generated(config, labpages.page_uri(lab), content=labpages.lab_page(lab)))
    for asset in sorted((paths.SITE_SRC / "assets").rglob("*")):
        if asset.is_file():
            files.append(File.generated(config, f"assets/{asset.relative_to(paths.SITE_SRC / 'assets').as_posix()}", abs_src_path=str(asset)))
    for item in vendor.ASSETS:
        try:
            files.append(File.generated(config, item.target, abs_src_path=str(vendor.ensure(item))))
        except vendor.VendorError as e:
            raise _fail(str(e)) from None
    return files


# --- navigation: the schedule needs every page's minutes, read from front matter -----------

def _module_of(uri: str) -> str | None:
    top = uri.split("/", 1)[0]
    return top if top in {m.id for m in course.modules()} and "/notebooks/" not in uri else None


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    items: list[workshop.Item] = []
    notes: list[tuple[str, str, str, str]] = []
    titles = {m.id: m.title for m in course.modules()}
    labs_by_module: dict[str, list[course.Lab]] = {}
    for lab in course.labs():
        labs_by_module.setdefault(lab.module, []).append(lab)
    seen_modules: list[str] = []
    for page in nav.pages:
        uri = page.file.src_uri
        module = _module_of(uri)
        text = page.file.content_string
        _, meta = get_data(text)
        for title, body in workshop.instructor_notes(text):
            notes.append((uri, meta.get("title", uri), title, body))
        if module is None:
            continue
        _check_front_matter(uri, meta)
        if module not in seen_modules:
            if seen_modules:
                _add_labs(items, labs_by_module.get(seen_modules[-1], []), titles)
            seen_modules.append(module)
        minutes = meta["minutes"]
        items.append(workshop.Item(meta["title"], "page", minutes["teaching"] + minutes["exercises"], titles[module]))
    if seen_modules:
        _add_labs(items, labs_by_module.get(seen_modules[-1], []), titles)
    _state["schedule"] = items
    _state["notes"] = notes
    return nav


def _add_labs(items: list[workshop.Item], labs: list[course.Lab], titles: dict[str, str]) -> None:
    for lab in labs:
        items.append(workshop.Item(f"Lab: {lab.title}", "lab", lab.minutes, titles[lab.module]))


def _check_front_matter(uri: str, meta: dict) -> None:
    problems = []
    for key in ("title", "objectives", "keypoints", "minutes"):
        if key not in meta:
            problems.append(f"missing '{key}'")
    minutes = meta.get("minutes")
    if minutes is not None and not (
        isinstance(minutes, dict) and all(isinstance(minutes.get(k), int) for k in ("teaching", "exercises"))
    ):
        problems.append("'minutes' needs teaching and exercises, as whole numbers")
    for key in ("objectives", "keypoints"):
        if key in meta and not (isinstance(meta[key], list) and meta[key]):
            problems.append(f"'{key}' must be a non-empty list")
    if problems:
        raise _fail(f"docs/{uri}: front matter: " + "; ".join(problems))


# --- page markdown -------------------------------------------------------------------------

TAG = re.compile(r"<!--\s*(run|run-markdown|wire|workshop|benchmark|version|version-minor|course):\s*([^\s]+)\s*-->")
QUOTE = re.compile(r"<!--\s*quote:\s*(\S+)\s+/(.+?)/\s*-->")


def _run_block(snippet: str) -> str:
    try:
        out = runs.output(snippet)
    except runs.RunFailed as e:
        raise _fail(str(e)) from None
    return f'``` {{ .text title="python {posixpath.basename(snippet)}" }}\n{out.rstrip()}\n```'


def _wire_help() -> str:
    from onthewire.cli import parser

    p = parser()
    blocks = [("wire --help", p.format_help())]
    sub = next(a for a in p._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, sp in sub.choices.items():
        blocks.append((f"wire {name} --help", sp.format_help()))
    return "\n\n".join(f'``` {{ .text title="{title}" }}\n{text.rstrip()}\n```' for title, text in blocks)


def _doctor_checks() -> str:
    from onthewire import doctor

    lines = []
    for result in doctor.results():
        lines.append(f"- {result.what}{'' if result.required else ' (a warning only)'}: if not, {result.fix}")
    return "\n".join(lines)


def _benchmark_table(name: str) -> str:
    """A table from benchmarks/results/NAME.json, written by benchmarks/NAME.py: measured, never typed."""
    source = paths.ROOT / "benchmarks" / "results" / f"{name}.json"
    if not source.exists():
        raise _fail(f"no results for benchmark {name!r}: run .venv/bin/python benchmarks/{name}.py")
    data = json.loads(source.read_text())
    base = data["baseline"]
    lines = [
        f"| Server | Version | Hello world, req/s | × {base} | Slow I/O, req/s | × {base} |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for r in data["rows"]:
        lines.append(f"| {r['server']} | {r['version']} | {r['hello']:,.0f} | {r['hello_ratio']:.2f} | {r['slow']:,.0f} | {r['slow_ratio']:.2f} |")
    lines.append("")
    lines.append(f"Measured on {data['measured']} by `benchmarks/{name}.py` on {data['machine']}; {data['method']}.")
    return "\n".join(lines)


def _version(name: str, uri: str, minor: bool = False) -> str:
    try:
        return versions.minor(name) if minor else versions.version(name)
    except versions.UnknownVersion as e:
        raise _fail(f"docs/{uri}: <!-- version: {name} -->: {e}") from None


def _quote(snippet: str, pattern: str, uri: str) -> str:
    try:
        text = runs.output(snippet)
    except runs.RunFailed as e:
        raise _fail(str(e)) from None
    try:
        match = re.search(pattern, text, re.MULTILINE)
    except re.error as e:
        raise _fail(f"docs/{uri}: <!-- quote: {snippet} /{pattern}/ -->: not a regular expression ({e})") from None
    if match is None:
        raise _fail(f"docs/{uri}: <!-- quote: {snippet} /{pattern}/ --> matches nothing that {snippet} printed")
    return match.group(1) if match.re.groups else match.group(0)


def _modules_list(page_uri: str) -> str:
    """The home page's list of modules, from course.toml: one source for the course's order."""
    labs_by_module: dict[str, list[course.Lab]] = {}
    for lab in course.labs():
        labs_by_module.setdefault(lab.module, []).append(lab)
    lines = []
    for m in course.modules():
        line = f"{m.position}. [{m.title}]({labpages.link(page_uri, f'{m.id}/index.md')})"
        if m.summary:
            line += f": {m.summary}"
        labs = labs_by_module.get(m.id, [])
        if labs:
            names = ", ".join(f"[{lab.title}]({labpages.link(page_uri, labpages.page_uri(lab))})" for lab in labs)
            line += f" Lab{'s' if len(labs) > 1 else ''}: {names}."
        lines.append(line)
    return "\n".join(lines)


def _instructor_notes(page_uri: str) -> str:
    out = []
    for uri, page_title, title, body in _state.get("notes", []):
        if uri == page_uri:
            continue
        href = labpages.link(page_uri, uri)
        out.append(f"### [{page_title}]({href}): {title}\n\n{body}\n")
    return "\n".join(out) or "No page has instructor notes yet."


def _expand(kind: str, name: str, page: Page) -> str:
    if kind == "run":
        return _run_block(name)
    if kind == "run-markdown":  # a snippet that prints Markdown (a table): shown as part of the page
        try:
            return runs.output(name).strip()
        except runs.RunFailed as e:
            raise _fail(str(e)) from None
    if kind == "wire" and name == "help":
        return _wire_help()
    if kind == "wire" and name == "doctor-checks":
        return _doctor_checks()
    if kind == "benchmark":
        return _benchmark_table(name)
    if kind in ("version", "version-minor"):
        return _version(name, page.file.src_uri, minor=kind == "version-minor")
    if kind == "course" and name == "modules":
        return _modules_list(page.file.src_uri)
    if kind == "workshop" and name == "schedule":
        return workshop.schedule_markdown(_state.get("schedule", []))
    if kind == "workshop" and name == "instructor-notes":
        return _instructor_notes(page.file.src_uri)
    raise _fail(f"docs/{page.file.src_uri}: unknown tag <!-- {kind}: {name} -->")


INCLUDE = re.compile(r'^[ \t]*--8<--[ \t]+"([^"]+)"', re.MULTILINE)
SNIPPET_BASES = (paths.SNIPPETS, paths.LABS)  # as pymdownx.snippets' base_path in mkdocs.yml


def _check_includes(markdown: str, uri: str) -> None:
    """Name a missing include (file or section) in one line; pymdownx would raise a traceback."""
    for match in INCLUDE.finditer(markdown):
        target = match.group(1)
        name, _, section = target.partition(":")
        found = next((base / name for base in SNIPPET_BASES if (base / name).is_file()), None)
        if found is None:
            raise _fail(f"docs/{uri} includes {name}, which is in neither site_src/snippets/ nor labs/")
        if section and not section.isdigit() and f"[start:{section}]" not in found.read_text():
            raise _fail(f"docs/{uri} includes section '{section}' of {name}, which has no '--8<-- [start:{section}]' marker")


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    uri = page.file.src_uri
    _check_includes(markdown, uri)
    try:
        markdown = labpages.expand_cards(markdown, uri)
    except course.CourseError as e:
        raise _fail(f"{uri}: {e}") from None
    if _module_of(uri) is not None:
        meta = page.meta
        _check_front_matter(uri, meta)
        minutes = meta["minutes"]
        objectives = "\n".join(f"    - {o}" for o in meta["objectives"])
        keypoints = "\n".join(f"    - {k}" for k in meta["keypoints"])
        top = (
            f'!!! abstract "In this lesson: {minutes["teaching"]} min teaching, {minutes["exercises"]} min exercises"\n'
            f"    By the end you can:\n\n{objectives}\n\n"
        )
        bottom = f'\n\n!!! success "Key points"\n{keypoints}\n'
        markdown = top + markdown + bottom  # tags in objectives and keypoints are expanded too
    markdown = TAG.sub(lambda m: _expand(m.group(1), m.group(2), page), markdown)
    # Instructor notes gathered from other pages bring their own version and quote tags.
    markdown = TAG.sub(lambda m: _expand(m.group(1), m.group(2), page) if m.group(1).startswith("version") else m.group(0), markdown)
    markdown = QUOTE.sub(lambda m: _quote(m.group(1), m.group(2), uri), markdown)
    return markdown
