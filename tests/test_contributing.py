"""CONTRIBUTING.md's steps, followed in a throwaway copy of the course: a module with a page,
a snippet and its test, a notebook and a lab, then the strict build and `wire check`.

The copy holds the course's own machinery (site_src/onthewire, mkdocs.yml, the home and
workshop pages) and nothing of today's modules, so that what is checked is the guide, and the
build stays quick. PYTHONPATH puts the copy's site_src/ first, so the build, the snippet, the
notebook's kernel and `wire` all run from the copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from onthewire import paths

BIN = Path(sys.executable).parent
GUIDE = (paths.ROOT / "CONTRIBUTING.md").read_text()

FRONT = """---
title: "{title}"
objectives:
  - Say what the demo shows.
keypoints:
  - "The demo printed <!-- quote: demo/hello.py /(\\\\d+) bytes/ --> bytes."
minutes: {{teaching: 5, exercises: 5}}
---
"""

PAGE = FRONT.format(title="Hello, demo") + """
The snippet, by section:

```python title="demo/hello.py"
--8<-- "demo/hello.py:greet"
```

<!-- run: demo/hello.py -->

It sent <!-- quote: demo/hello.py /(\\d+) bytes/ --> bytes; h11 here is <!-- version: h11 -->.

??? question "How many bytes?"
    As many as the run printed.

??? instructor "Instructor notes"
    - Five minutes.
"""

SNIPPET = '''"""A demo snippet: prints how long a greeting is."""

# --8<-- [start:greet]
def greet(name: str) -> bytes:
    return f"Hello, {name}!".encode()
# --8<-- [end:greet]


if __name__ == "__main__":
    print(f"greet('demo') is {len(greet('demo'))} bytes")
'''

SNIPPET_TEST = '''from snippets.demo.hello import greet


def test_the_page_counts_the_bytes() -> None:
    assert len(greet("demo")) == 12
'''

SERVER = '''"""The demo lab: answer every request with 200 and a greeting."""

import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

STATUS = {status}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"{body}"
        self.send_response(STATUS)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
'''

CHECK = '''import httpx


def test_greets(serve) -> None:
    """The server answers GET / with 200 and a greeting.

    Look at: do_GET in server.py.
    """
    with serve() as server:
        response = httpx.get(server.url + "/")
    assert response.status_code == 200, f"got {response.status_code}"
    assert response.text == "Hello!"
'''

LAB_TOML = '''title = "A demo lab"
module = "demo"
order = 1
minutes = 10
summary = "Answer with a greeting."
objectives = ["Answer GET / with 200"]
peers = ["httpx"]
run = ["{python}", "server.py", "{port}"]
default_port = 8090

[[hints]]
checks = ["test_1_greets.py"]
text = "Which status code says that a request succeeded?"
'''


def _notebook() -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# A demo notebook\n", "\n", "**Time:** 2 minutes to read."]},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": ["print(6 * 7)"]},
    ]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
                       "nbformat": 4, "nbformat_minor": 5})


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("course")
    for name in ("mkdocs.yml", "pyproject.toml", "CONTRIBUTING.md"):
        shutil.copy(paths.ROOT / name, root)
    (root / "docs").mkdir()
    # The real home page links pages of today's modules; the copy's lists its own.
    (root / "docs" / "index.md").write_text("---\ntitle: Home\n---\n\n# Home\n\n<!-- course: modules -->\n")
    shutil.copytree(paths.DOCS / "workshop", root / "docs" / "workshop")
    shutil.copytree(paths.SITE_SRC, root / "site_src", ignore=shutil.ignore_patterns("snippets", "__pycache__"))
    for folder in ("labs", "notebooks", "site_src/snippets"):
        (root / folder).mkdir()
    # Browser assets come from the npm registry once; the copy uses the ones already fetched.
    shutil.copytree(paths.CACHE / "vendor", root / ".cache" / "vendor")
    return root


def _write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text)


def _env(root: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(root / "site_src"), "ONTHEWIRE_CACHE": str(root / ".cache"),
            "WIRE_WORKSPACE": str(root / "workspace"), "NO_MKDOCS_2_WARNING": "1"}


def test_the_guide_names_what_the_test_follows() -> None:
    for step in ("## Add a page", "## Show code: a snippet and its test", "## Add a notebook", "## Add a lab", "## Add a module",
                 "<!-- quote: MODULE/NAME.py /REGEX/ -->", "<!-- version: NAME -->", "`{python}`, `{host}`, `{port}` and `{app}`"):
        assert step in GUIDE


def test_a_module_with_a_page_a_snippet_a_notebook_and_a_lab_builds(copy: Path, no_leftovers: None) -> None:
    root = copy
    # Add a module: one entry in course.toml, and its folders.
    (root / "site_src" / "course.toml").write_text(
        '[[modules]]\nid = "demo"\ntitle = "Demo"\nsummary = "a module made by following the guide."\n'
        'pages = ["index.md", "hello.md"]\nnotebooks = ["first"]\n'
    )
    _write(root, "docs/demo/index.md", FRONT.format(title="Demo") + "\nThe demo module. [The page](hello.md).\n")
    _write(root, "docs/demo/hello.md", PAGE)
    _write(root, "site_src/snippets/demo/hello.py", SNIPPET)
    _write(root, "tests/snippets/demo/test_hello.py", SNIPPET_TEST)
    _write(root, "notebooks/demo/first.ipynb", _notebook())
    _write(root, "labs/demo-lab/lab.toml", LAB_TOML)
    _write(root, "labs/demo-lab/README.md", "# A demo lab\n\nAnswer GET / with 200 and `Hello!`. The TODO is in "
           "[`starter/server.py`](starter/server.py):\n\n<!-- include: starter/server.py -->\n")
    _write(root, "labs/demo-lab/starter/server.py", SERVER.replace("{body}", "Hello!").replace("{status}", "500  # TODO: the status of success"))
    _write(root, "labs/demo-lab/solution/server.py", SERVER.replace("{body}", "Hello!").replace("{status}", "200  # RFC 9110 §15.3.1: OK"))
    _write(root, "labs/demo-lab/checks/test_1_greets.py", CHECK)

    built = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-d", str(root / "site")], cwd=root, env=_env(root),
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr[-3000:]

    page = (root / "site" / "demo" / "hello" / "index.html").read_text()
    assert "greet(&#39;demo&#39;) is 12 bytes" in page or "greet('demo') is 12 bytes" in page
    assert "It sent 12 bytes" in page and "The demo printed 12 bytes" in page
    from importlib import metadata

    assert f"h11 here is {metadata.version('h11')}" in page
    assert "In this lesson: 5 min teaching, 5 min exercises" in page
    notebook = (root / "site" / "demo" / "notebooks" / "first" / "index.html").read_text()
    assert "42" in notebook and "its cells ran in" in notebook
    home = (root / "site" / "index.html").read_text()
    assert 'href="demo/"' in home and 'href="labs/demo-lab/"' in home and "Demo" in home
    lab_page = (root / "site" / "labs" / "demo-lab" / "index.html").read_text()
    assert "HTTPServer" in lab_page and "Which status code says that a request succeeded?" in lab_page
    workshop = (root / "site" / "workshop" / "index.html").read_text()
    assert "Hello, demo" in workshop and "Lab: A demo lab" in workshop

    tested = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(root),
                             str(root / "tests" / "snippets" / "demo" / "test_hello.py")],
                            cwd=root, env=_env(root), capture_output=True, text=True, timeout=120)
    assert tested.returncode == 0, tested.stdout[-2000:]

    wire = str(BIN / "wire")
    solution = subprocess.run([wire, "check", "demo-lab", "--solution"], cwd=root, env=_env(root), capture_output=True, text=True, timeout=120)
    assert solution.returncode == 0 and "1 passed, 0 failed" in solution.stdout, solution.stdout + solution.stderr
    starter = subprocess.run([wire, "check", "demo-lab", "--starter"], cwd=root, env=_env(root), capture_output=True, text=True, timeout=120)
    assert starter.returncode != 0 and "0 passed, 1 failed" in starter.stdout, starter.stdout + starter.stderr
