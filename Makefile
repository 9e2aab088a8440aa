# examkit: two commands do all set-up on a fresh Debian machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Everything the code and the tests use (tests/core/test_system_packages.py checks that every
# system file they name comes from a package listed here): the programs examkit calls (OCR, PDF
# rendering), python3-venv (a fresh Debian cannot create .venv without it), Debian's chromium for
# the browser tests, and the fonts the tests and the samples generator draw pages with.
APT_PACKAGES := python3-venv tesseract-ocr tesseract-ocr-deu tesseract-ocr-eng poppler-utils chromium fonts-dejavu-core
APT_PACKAGES += fonts-dkg-handwriting fonts-breip fonts-femkeklaver fonts-kristi
# Debian's German word lists (today's spelling and before 1996): the reader's language model takes "ß" from them.
APT_PACKAGES += wngerman wogerman
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: setup setup-base system-packages test test-fast lint demo bench samples clean help

help:
	@echo "make demo   - set up, then run the whole pipeline on samples/"
	@echo "make test   - set up, then run the test suite"
	@echo "make lint   - ruff (errors, bugbear, import order) and mypy over the code; .ci/run runs it"
	@echo "make bench  - set up, then run the benchmarks (figures go to BENCHMARKS.md by hand)"
	@echo "make setup  - system packages (apt) + .venv with examkit installed"

# `make setup` prepares everything (tests, local training, Dask cluster); the demo needs only the
# toolkit itself, so a teacher trying it does not wait for torch.
setup: system-packages $(VENV)/.installed-all

setup-base: system-packages $(VENV)/.installed-base

system-packages:
	@bash scripts/install-system-packages.sh $(APT_PACKAGES)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed-base: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-all: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e ".[dev,local,cluster]"
	@touch $@ $(VENV)/.installed-base

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The lint gate: settings in pyproject.toml ([tool.ruff], [tool.mypy]); a remaining noqa or
# type: ignore says why on its line.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

test-fast: setup
	$(BIN)/python -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

demo: setup-base
	$(BIN)/python scripts/demo.py

bench: setup
	$(BIN)/python benchmarks/run_all.py

samples: setup-base
	$(BIN)/python samples/generate.py

clean:
	rm -rf demo-workspace demo-output bench-output .pytest_cache
