# Ruche: `make up` runs the platform, `make test` runs every test against the real stack.
# Everything they need is installed by these rules into a cache outside the clone
# ($RUCHE_CACHE_DIR, else $XDG_CACHE_HOME/ruche, else ~/.cache/ruche), keyed by version.

UV_VERSION := 0.13.8
CACHE ?= $(or $(RUCHE_CACHE_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ruche)
UV_HOME := $(CACHE)/uv-$(UV_VERSION)
UV := $(UV_HOME)/bin/uv
PY := .venv/bin/python
PACKAGES := ruche_contracts ruche_servicekit ruche_testing ruche_devstack ruche_identity ruche_people ruche_calendar ruche_presence ruche_vault ruche_console ruche_onss
export UV_PYTHON_DOWNLOADS := never
export RUCHE_CACHE_DIR := $(CACHE)

.PHONY: up test test-unit test-e2e lint schemas provision bench clean

up: .venv/.synced
	$(PY) -m ruche_devstack up

test: lint provision
	$(PY) -m pytest

test-unit: .venv/.synced
	$(PY) -m pytest libs services tools/devstack/tests -m "not infra"

test-e2e: .venv/.synced provision
	$(PY) -m pytest tests/e2e

provision: .venv/.synced
	$(PY) -m ruche_devstack provision

lint: .venv/.synced
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy $(foreach p,$(PACKAGES),-p $(p))
	.venv/bin/lint-imports

schemas: .venv/.synced
	$(PY) -m ruche_contracts.schemas libs/contracts/schemas

bench: .venv/.synced provision
	PYTHONPATH=. $(PY) benchmarks/bench_identity.py
	PYTHONPATH=. $(PY) benchmarks/bench_platform.py
	PYTHONPATH=. $(PY) benchmarks/bench_bulk_hire.py

clean:
	rm -rf .venv .run

$(UV):
	python3 -m venv $(UV_HOME)
	$(UV_HOME)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: $(UV) uv.lock pyproject.toml libs/*/pyproject.toml services/*/pyproject.toml tools/*/pyproject.toml
	$(UV) sync --frozen --all-packages
	touch $@
