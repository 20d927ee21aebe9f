# Two commands matter: `make up` (the whole stack with demo data) and `make test` (the suite).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DISTS := libs/common services/registry services/scoring services/notify gateway tools/demo
PYPROJECTS := $(wildcard $(addsuffix /pyproject.toml,$(DISTS)))
# Packages only: an editable install may leave *.egg-info beside them, which mypy refuses.
SRC_DIRS := $(filter-out %.egg-info,$(wildcard libs/common/src/yumiao_common services/*/src/* gateway/src/gateway tools/*/src/*))
STAMP := $(VENV)/.installed
# Reproducible installs: every third-party package (runtime, dev tools, build backend) comes from
# a lock with hashes. requirements.lock is the runtime set the images install; requirements-dev.lock
# adds the dev tools at the same versions. `make lock` regenerates both from the pyproject files
# and requirements-dev.txt (UPGRADE=1 moves every pin to the newest allowed release).
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
PIP_COMPILE := $(BIN)/pip-compile -q --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(if $(UPGRADE),--upgrade)

# The suite runs on this many pytest-xdist workers (one per core of the 2-core machines it is
# sized for; 0 runs it in one process); each worker makes its own databases, vhosts and broker
# node. The e2e journeys share one stack on make up's fixed ports 8000–8003, so they run after
# the rest in a process of their own (xdist's --dist loadgroup, which would keep them on one
# worker, does not group under pytest 9.2: pytest-dev/pytest-xdist#1386). Both always run; the
# target fails if either failed.
PYTEST_WORKERS ?= 2

.PHONY: venv lock images base-image-pinned up test lint typecheck pytest bench bench-scale clean settings-doc

venv: $(STAMP)

# The local distributions go in last, without dependencies and without build isolation: their
# dependencies and their build backend (setuptools) are already installed from the lock.
$(STAMP): $(PYPROJECTS) requirements-dev.txt $(LOCK) $(DEV_LOCK)
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python scripts/lock_inputs.py --check
	$(BIN)/pip install -q --require-hashes -r $(DEV_LOCK)
	$(BIN)/pip install -q --no-deps --no-build-isolation $(foreach d,$(dir $(PYPROJECTS)),-e ./$(d))
	touch $(STAMP)

lock:
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	test -x $(BIN)/pip-compile || $(BIN)/pip install -q "pip-tools>=7.4"
	$(BIN)/python scripts/lock_inputs.py
	$(PIP_COMPILE) -o $(LOCK) requirements.in
	$(PIP_COMPILE) -c $(LOCK) -o $(DEV_LOCK) requirements.in requirements-dev.txt

# Images: every service from the one Dockerfile; name:dir:settings-prefix:port, the same build
# arguments docker-compose.yml passes (tests/infra checks they agree). Needs a Docker engine.
# RELEASE=1 (release and CI builds) refuses a base image that is not pinned by digest.
# DEMO=1 builds the registry image with the demo data tool (tools/demo: `flask --app registry.app
# seed-demo`), as the k8s dev overlay's seed-demo Job needs; never for a release.
IMAGE_PREFIX ?= yumiao
TAG ?= dev
DOCKERFILE ?= Dockerfile
DOCKER ?= docker
IMAGES := registry:services/registry:REGISTRY:8001 scoring:services/scoring:SCORING:8002 \
	notify:services/notify:NOTIFY:8003 gateway:gateway:GATEWAY:8000
PINNED_BASE := ^ARG PYTHON_IMAGE=[^[:space:]@]+@sha256:[0-9a-f]{64}$$

images: $(if $(RELEASE),base-image-pinned)
	for spec in $(IMAGES); do \
	  IFS=: read -r name dir prefix port <<< "$$spec"; demo=; \
	  if [ -n "$(DEMO)" ] && [ $$name = registry ]; then demo="--build-arg DEMO=1"; fi; \
	  $(DOCKER) build -f $(DOCKERFILE) --build-arg SERVICE=$$name --build-arg DIST_DIR=$$dir \
	    --build-arg ENV_PREFIX=$$prefix --build-arg PORT=$$port $$demo \
	    -t $(IMAGE_PREFIX)/$$name:$(TAG) . || exit 1; \
	done

base-image-pinned:
	@grep -Eq '$(PINNED_BASE)' $(DOCKERFILE) || { \
	  echo "$(DOCKERFILE): ARG PYTHON_IMAGE must be pinned by digest (name:tag@sha256:<64 hex>)"; \
	  exit 1; }

up: venv
	scripts/dev-up.sh

test: venv
	scripts/ensure-services.sh
	scripts/ensure-browser.sh
	scripts/ensure-pdf-font.sh
	$(BIN)/ruff check .
	$(BIN)/mypy $(SRC_DIRS)
	$(BIN)/pytest -n $(PYTEST_WORKERS) tests --ignore=tests/e2e; rest=$$?; \
	$(BIN)/pytest tests/e2e; e2e=$$?; \
	test $$rest -eq 0 && test $$e2e -eq 0

lint: venv
	$(BIN)/ruff check .

typecheck: venv
	$(BIN)/mypy $(SRC_DIRS)

# Every bench but the province-scale one (hours at 100,000 firms on two cores): `make bench-scale`.
bench: venv
	scripts/ensure-services.sh
	for b in bench/*.py; do [ "$$b" = bench/scale.py ] || $(BIN)/python $$b || exit 1; done

bench-scale: venv
	scripts/ensure-services.sh
	$(BIN)/python bench/scale.py $(SCALE_ARGS)

# docs/settings.md, generated from the Settings classes (tests/infra fails while it is stale).
settings-doc: venv
	$(BIN)/python scripts/settings_table.py

clean:
	rm -rf $(VENV) var
