# The README's commands: make demo · make test · make bench · make lint
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo
CHROMIUM := /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8888

.PHONY: demo dashboard test test-hub lint typecheck unit bench docs install chromium clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's metadata changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# What `make demo` needs on a fresh machine: the package with the sandbox and demo extras only.
$(DEMO_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[sandbox,demo]'
	touch $(DEMO_STAMP)

install: $(STAMP)

# Browser tests need Debian's chromium; install it when running as root (CI), else tests skip.
chromium:
	@if [ ! -x $(CHROMIUM) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check mfa_widgets tests benchmarks
	$(BIN)/ruff format --check mfa_widgets tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP) chromium lint typecheck docs
	$(BIN)/python -m pytest -m "not wheel and not binder" --durations=25

# Fresh-venv installs: the built wheel per extra, each extra's features run there (minutes: the
# first run fills a local wheel cache), and binder/requirements.txt with the quickstart run in it
# (about 3 minutes, as mybinder.org builds it). Kept out of `make test` for time.
test-wheel: $(STAMP)
	$(BIN)/python -m pytest -m "wheel or binder" -q

# JupyterHub with the classroom (hub/): two users sign in with Chromium and appear on the board.
# Minutes long (it starts the hub and two JupyterLab servers), so not part of `make test`.
test-hub: $(STAMP) chromium
	$(BIN)/python -m pip install --quiet -e '.[hub]'
	command -v configurable-http-proxy >/dev/null || npm install -g configurable-http-proxy
	MFA_TEST_HUB=1 $(BIN)/python -m pytest tests/classroom/test_hub.py -q

# The fast inner loop: the pure core tests, without the AWS CLI oracle (under 20 s).
unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit -q -m "not oracle and not slow" -p no:cacheprovider

# The browser tests write screenshots to build/screenshots/; this refreshes the README's copies.
screenshots: $(STAMP) chromium
	CI=true $(BIN)/python -m pytest tests/e2e -q
	cp build/screenshots/*.png docs/

# The docs site in site/: API reference from the docstrings and the notebooks run against the
# sandbox. --strict turns every warning (a broken reference, a failing notebook) into an error.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

bench: $(STAMP)
	$(BIN)/python -m benchmarks

# The same commands a pip user runs; a clone serves its own notebooks/ (edits belong in git).
demo: $(DEMO_STAMP)
	$(BIN)/mfa-widgets lab --dir notebooks --host $(HOST) --port $(PORT)

dashboard: $(DEMO_STAMP)
	$(BIN)/mfa-widgets dashboard --dir notebooks --host $(HOST) --port $(PORT)

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache build
