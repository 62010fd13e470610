# Two commands on a fresh machine: `make run` (set up and run the app) and `make test` (set up and run all tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

# The app so far is the law engine's CLI: assess an example absence and show the edition of art. 337 in force.
run: $(STAMP)
	$(BIN)/courtpath law check
	$(BIN)/courtpath assess --status mobilized --left "2025-06-01T08:00" --returned "2025-06-20T10:00" --surrendered --indicator job

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

test: $(STAMP) lint
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
