# Conflict media analysis: every target below is a step of the README.
# `make` alone prints this list.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT := data/processed/demo
CORPUS ?=
CORPUS_ARG := $(if $(CORPUS),--corpus $(CORPUS),)
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv data report test test-fast lint format lab clean distclean benchmark

## help: list the targets
help:
	@awk '/^## / {sub(/^## /, ""); i = index($$0, ": "); printf "  make %-10s %s\n", substr($$0, 1, i - 1), substr($$0, i + 2)}' $(MAKEFILE_LIST)

## venv: create .venv and install the pinned dependencies (done by every target that needs it)
venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 11) else f"Python 3.11 is required, found {v[0]}.{v[1]}: set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

## data: run the whole pipeline on the corpus (default: the bundled demo corpus) into data/processed/demo
data: $(STAMP)
	$(BIN)/python -m analysis run $(CORPUS_ARG) --out $(OUT)

## report: run the pipeline and build the HTML report in reports/index.html
report: $(STAMP)
	$(BIN)/python -m analysis report $(CORPUS_ARG) --out reports

## test: run the whole test suite (lint, unit tests, notebooks) in a fresh or existing .venv
test: $(STAMP)
	$(BIN)/ruff check analysis tests benchmarks scripts
	$(BIN)/python -m pytest $(PYTEST_ARGS) tests --nbmake notebooks

## test-fast: the unit tests without the slow end-to-end ones
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" $(PYTEST_ARGS)

## lint: check the code with ruff
lint: $(STAMP)
	$(BIN)/ruff check analysis tests benchmarks scripts

## format: format the code with ruff
format: $(STAMP)
	$(BIN)/ruff format analysis tests benchmarks scripts

## lab: open JupyterLab on the notebooks
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

## benchmark: measure throughput, memory and scaling (writes benchmarks/results.md)
benchmark: $(STAMP)
	$(BIN)/python benchmarks/run_benchmarks.py

## clean: remove generated tables and reports (keeps .venv)
clean:
	rm -rf data/processed/* reports/*
	@touch data/processed/.gitkeep reports/.gitkeep

## distclean: clean, and remove .venv too
distclean: clean
	rm -rf $(VENV)
