# tcd-pipeline: two commands from a fresh clone with Python 3.11 -> `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export UV_COMPILE_BYTECODE := 1
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export GX_ANALYTICS_ENABLED := false

UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := $(PYTHON) -m uv
endif

.PHONY: run test campaign dev sample bench clean-data env

env: $(BIN)/.synced

$(BIN)/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

run: env  ## set up, then materialize every asset into data/warehouse.duckdb
	@$(MAKE) --no-print-directory $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m tcd_pipeline.run

test: env  ## the whole test suite
	$(BIN)/python -m pytest

campaign: env  ## the whole seeded damage campaign (>= 200 cases; the test suite runs 30 of them)
	TCD_CAMPAIGN=1 $(BIN)/python -m pytest tcd_pipeline_tests/pipeline/test_damage_campaign.py -q

dev: env  ## the Dagster UI on http://127.0.0.1:3000
	@$(MAKE) --no-print-directory $(DAGSTER_HOME)/dagster.yaml
	VIRTUAL_ENV=$(CURDIR)/$(VENV) PATH=$(CURDIR)/$(BIN):$$PATH dg dev

# Dagster's instance folder: telemetry off (the pipeline runs offline and in CI); one run at a
# time, since DuckDB allows one writing process per file (further runs wait in the queue)
$(DAGSTER_HOME)/dagster.yaml:
	@mkdir -p $(DAGSTER_HOME) && printf 'telemetry:\n  enabled: false\nconcurrency:\n  runs:\n    max_concurrent_runs: 1\n' > $@

sample: env  ## regenerate the embedded sample world
	rm -rf data/sample && $(BIN)/python -m tcd_pipeline.sample --out data/sample

bench: env  ## benchmarks (writes full-scale synthetic data under /tmp)
	$(BIN)/python benchmarks/bench_ingest.py

clean-data:  ## forget the warehouse, the sample and Dagster's run history
	rm -rf data $(DAGSTER_HOME)
