# On the Wire. `make serve` and `make test` are all a new machine needs (Python >= 3.11, make).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SITE_PORT := 8000

export NO_MKDOCS_2_WARNING := 1
# Jupyter's own directories move to platformdirs in its next major version; opt in now.
export JUPYTER_PLATFORM_DIRS := 1

.PHONY: help install system tools serve site test notebooks lock clean

help:
	@echo "make serve      set up, then serve the site at http://127.0.0.1:$(SITE_PORT) (live reload)"
	@echo "make test       set up, then run every test"
	@echo "make site       build the static site into site/"
	@echo "make notebooks  open JupyterLab on notebooks/ with the course's kernel"
	@echo "make lock       regenerate requirements.lock from pyproject.toml"
	@echo "make clean      remove the site, the caches and the virtual environment"

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0] + ": run make with PYTHON=python3.X")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

install: $(STAMP)

# The pages start nginx, Apache, uWSGI and Redis for real: name any missing Debian package
# and how to install it, then build uWSGI and mod_wsgi once (cached in .cache/).
system: install
	@$(BIN)/python -m onthewire.system --for $(if $(filter test,$(MAKECMDGOALS)),tests,course)
	@$(BIN)/python -m onthewire.tools >/dev/null

site: system
	$(BIN)/mkdocs build

serve: system
	@$(BIN)/python -c 'import sys; from onthewire.serving import port_in_use; sys.exit("port $(SITE_PORT) on 127.0.0.1 is in use: stop what uses it (ss -ltnp shows it) and run make serve again" if port_in_use($(SITE_PORT)) else 0)'
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(SITE_PORT)

# Two test processes: most tests wait on servers and clients rather than compute.
TEST_WORKERS ?= 2

test: system
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

notebooks: install
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

# The lock is universal (every supported Python) and hashed; pip installs it as it is.
lock: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf site .cache $(VENV)
