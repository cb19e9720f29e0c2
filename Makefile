# Task runner. `make reports` and `make test` set up .venv on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: reports test test-fast install lab serve bench bench-full lint format validate clean-reports

reports: install  ## validate the data and build every report into reports/
	$(BIN)/bri-analysis validate
	$(BIN)/bri-analysis build

test: install  ## run the whole test suite
	$(BIN)/python -m pytest -n auto

test-fast: install  ## the unit and acceptance tests only: no notebook kernels, no browser
	$(BIN)/python -m pytest -m "not notebooks and not browser" -n auto

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/jupyter kernelspec install --sys-prefix --name bri-analysis \
		share/jupyter/kernels/bri-analysis --log-level=ERROR
	mkdir -p $(VENV)/etc/jupyter  # every `jupyter lab` of this venv saves without outputs
	ln -sf ../../../jupyter_server_config.py $(VENV)/etc/jupyter/jupyter_server_config.py
	touch $(STAMP)

LAB_ARGS ?=
# Jupyter refuses to run as root unless told; `make lab` works for root and for a user.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: install  ## JupyterLab at the repository root (notebooks and built reports), saving without outputs
	$(BIN)/jupyter lab --notebook-dir=. $(ROOT_FLAG) $(LAB_ARGS)

serve: install  ## serve reports/ on http://127.0.0.1:8000 (links and search work in a browser tab)
	$(BIN)/bri-analysis serve

bench: install  ## print timings (import, load, parsing, countries, cold/warm split, build)
	$(BIN)/python benchmarks/run_all.py

bench-full: install  ## every report: the builder against the plain papermill loop (~35 min)
	$(BIN)/python benchmarks/bench_build.py

lint: install  ## ruff lint and format check, and the layer contracts (import-linter)
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --check --no-cache .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

validate: install
	$(BIN)/bri-analysis validate

clean-reports:
	rm -rf reports/*.html reports/notebooks reports/failed reports/logs reports/manifest.json
