# Two commands for a new user: `make run` and `make test` (both set up first if needed).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.setup-stamp

.PHONY: setup run test lint typecheck unit clean-index bench

setup: $(STAMP)

# Re-runs only when pyproject.toml changes. CPU PyTorch goes in first, pinned,
# so no dependency can pull the multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: setup
	HF_HUB_OFFLINE=1 $(BIN)/qa serve

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy

unit: setup
	HF_HUB_OFFLINE=1 $(BIN)/pytest

test: lint typecheck unit

clean-index:
	rm -rf "$${QA_DATA_DIR:-$${XDG_DATA_HOME:-$$HOME/.local/share}/newsqa}/index"
