# Quick start:  make run   |   make test
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q
export PIP_CONSTRAINT := $(CURDIR)/constraints.txt

.PHONY: import run test test-fast lint install install-dev browser index chat eval bench clean help

help:  ## list targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(VENV)/bin/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(VENV)/bin/python
	$(PIP) install torch==2.13.0
	$(PIP) install -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed  ## runtime dependencies only (no torch)

install-dev: $(VENV)/.installed-dev  ## everything the tests need (torch CPU build)

index: install  ## build the index if it is missing or stale
	$(PY) -m index build --if-stale

run: index  ## set up, build the index if needed, start the bot (or the terminal chat)
	$(PY) -m bot

# Debian's chromium (and an emoji font) for the report's browser test; CI runs as root.
browser:  ## install chromium for the browser test if it is missing (apt-get)
	@command -v chromium >/dev/null || { apt-get update && \
	  apt-get install -y --no-install-recommends chromium fonts-noto-color-emoji; }

test: install-dev browser  ## set up and run the whole test suite
	$(PY) -m pytest

test-fast: install-dev  ## everything but the real-model tests, on every core (about a minute)
	$(PY) -m pytest -m "not real_model" -n auto --dist loadgroup

lint: install-dev  ## ruff (pyflakes, isort, bugbear, complexity) and mypy (pydantic plugin)
	$(PY) -m ruff check .
	$(PY) -m mypy

import: install  ## add articles: make import OAI=URL [SET=S] [FROM=D] | SOURCES="URL…" [FULLTEXT=1]; then build
	$(PY) -m index import $(SOURCES) $(if $(OAI),--oai $(OAI)) $(if $(SET),--set $(SET)) \
		$(if $(FROM),--from $(FROM)) $(if $(FULLTEXT),--fulltext)
	$(PY) -m index build --if-stale

chat: index  ## terminal chat
	$(PY) -m bot chat

eval: index  ## quality on the labelled questions
	$(PY) -m index evaluate eval/dev.jsonl

bench: index  ## latency, start-up and memory of answer()
	$(PY) -m bench.benchmark

clean:  ## remove the built index (keeps .venv)
	rm -rf data/index
