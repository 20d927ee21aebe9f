# Two commands matter: `make up` (the whole stack with demo data) and `make test` (the suite).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DISTS := libs/common services/registry services/scoring services/notify gateway
PYPROJECTS := $(wildcard $(addsuffix /pyproject.toml,$(DISTS)))
# Packages only: an editable install may leave *.egg-info beside them, which mypy refuses.
SRC_DIRS := $(filter-out %.egg-info,$(wildcard libs/common/src/yumiao_common services/*/src/* gateway/src/gateway))
STAMP := $(VENV)/.installed

.PHONY: venv up test lint typecheck pytest bench clean

venv: $(STAMP)

$(STAMP): $(PYPROJECTS) requirements-dev.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q $(foreach d,$(dir $(PYPROJECTS)),-e ./$(d)) -r requirements-dev.txt
	touch $(STAMP)

up: venv
	scripts/dev-up.sh

test: venv
	scripts/ensure-services.sh
	scripts/ensure-browser.sh
	$(BIN)/ruff check .
	$(BIN)/mypy $(SRC_DIRS)
	$(BIN)/pytest tests

lint: venv
	$(BIN)/ruff check .

typecheck: venv
	$(BIN)/mypy $(SRC_DIRS)

bench: venv
	scripts/ensure-services.sh
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var
