# opendatacommunities: the two commands that matter are `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install check test lint typecheck layers format bench bench-map clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

layers: $(STAMP)
	$(BIN)/lint-imports

check: lint typecheck layers

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: check
	$(BIN)/pytest -q -n auto

bench: bench-map

bench-map: $(STAMP)
	$(BIN)/python bench/bench_map.py

clean:
	rm -rf $(VENV) .venv-morph .mypy_cache .ruff_cache .pytest_cache
