# tcd-pipeline: two commands from a fresh clone with Python 3.11 -> `make run`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export UV_COMPILE_BYTECODE := 1
# Dagster's instance (run history) belongs to one warehouse: the folder beside it, e.g.
# data/warehouse.duckdb -> data/warehouse.dagster, so `make dev` shows the runs of that warehouse only
# (python -m tcd_pipeline.run derives it itself; `make dev` exports it; tests never use it)
TCD_WAREHOUSE ?= data/warehouse.duckdb
INSTANCE := $(if $(DAGSTER_HOME),$(DAGSTER_HOME),$(abspath $(basename $(TCD_WAREHOUSE))).dagster)
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

run: env  ## set up, then materialize every asset into data/warehouse.duckdb ($TCD_WAREHOUSE)
	$(BIN)/python -m tcd_pipeline.run

test: env  ## the whole test suite
	$(BIN)/python -m pytest

CAMPAIGN_TMP := $(or $(TMPDIR),/tmp)/tcd-campaign-$(shell id -u)
CAMPAIGN_PYTEST := TCD_CAMPAIGN=1 $(BIN)/python -m pytest tcd_pipeline_tests/pipeline/test_damage_campaign.py -q -p no:cacheprovider
campaign: env  ## the whole seeded damage campaign (>= 200 cases; the test suite runs 30 of them), two shards side by side
	@mkdir -p $(CAMPAIGN_TMP); \
	echo "damage campaign: two shards side by side; even seeds below as they run, odd seeds ($(CAMPAIGN_TMP)/shard-1.log) after"; \
	TCD_CAMPAIGN_SHARD=1/2 $(CAMPAIGN_PYTEST) --basetemp=$(CAMPAIGN_TMP)/shard-1 > $(CAMPAIGN_TMP)/shard-1.log 2>&1 & odd=$$!; \
	TCD_CAMPAIGN_SHARD=0/2 $(CAMPAIGN_PYTEST) --basetemp=$(CAMPAIGN_TMP)/shard-0; even=$$?; \
	wait $$odd; odd=$$?; \
	echo "--- campaign shard 1/2 (odd seeds)"; cat $(CAMPAIGN_TMP)/shard-1.log; \
	test $$even -eq 0 -a $$odd -eq 0

dev: env  ## the Dagster UI on http://127.0.0.1:3000, with the runs of $TCD_WAREHOUSE's instance
	@DAGSTER_HOME=$(INSTANCE) $(BIN)/python -m tcd_pipeline.config instance >/dev/null
	DAGSTER_HOME=$(INSTANCE) VIRTUAL_ENV=$(CURDIR)/$(VENV) PATH=$(CURDIR)/$(BIN):$$PATH dg dev

sample: env  ## regenerate the embedded sample world
	rm -rf data/sample && $(BIN)/python -m tcd_pipeline.sample --out data/sample

bench: env  ## benchmarks (writes full-scale synthetic data under /tmp)
	$(BIN)/python benchmarks/bench_ingest.py

clean-data:  ## forget the warehouse, the sample and Dagster's run history (the warehouse's instance)
	rm -rf data $(INSTANCE) .dagster_home
