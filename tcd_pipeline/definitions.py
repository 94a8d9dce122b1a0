"""The Dagster code location: assets, gates, jobs, sensors, schedules and resources.

``dg dev`` / ``dagster dev`` load it through ``workspace.yaml``; ``make run`` uses the same
definitions through ``tcd_pipeline.run``.
"""

import dagster as dg

from tcd_pipeline.assets import clean, publish, raw, survival, tiva, trade_outcomes
from tcd_pipeline.assets.gates import GateSettings
from tcd_pipeline.automation import nightly_refresh, raw_files_sensor, refresh_job
from tcd_pipeline.resources import PublishedMarts, RawInputs, Warehouse
from tcd_pipeline.settings import DiagnosticSettings

reference_job = dg.define_asset_job(
    "ingest_reference_job",
    selection=dg.AssetSelection.assets(
        raw.country_codes, raw.product_codes, raw.wdi, raw.services, raw.geodist,
        clean.countries, clean.products, clean.macro, *tiva.RAW_ASSETS,
    ),
    description="Ingest: code lists, WDI, services and distances, raw files to clean reference tables, with their gates.",
)
flows_job = dg.define_asset_job(
    "ingest_flows_job",
    selection=dg.AssetSelection.assets(raw.baci_flows, clean.flows),
    description="Ingest: one BACI year, raw file to gated clean flows (partitioned by year).",
)
trade_outcomes_job = dg.define_asset_job(
    "trade_outcomes_job",
    selection=dg.AssetSelection.assets(*trade_outcomes.ASSETS),
    description="Trade-outcome marts (report sections 2.1-2.3) from the clean layer, with their gates.",
)
survival_job = dg.define_asset_job(
    "survival_job",
    selection=dg.AssetSelection.assets(*survival.ASSETS),
    description="Export spells and survival marts (report section 2.4), with their gates.",
)
tiva_job = dg.define_asset_job(
    "tiva_job",
    selection=dg.AssetSelection.assets(*tiva.ASSETS),
    description="Trade in value added: Leontief decompositions and GVC marts (chapter 3), with their gates.",
)
publish_job = dg.define_asset_job(
    "publish_job",
    selection=dg.AssetSelection.assets(publish.marts_file),
    description="Publish: copy the gated marts to the BI file and swap it in atomically.",
)
JOBS = [reference_job, flows_job, trade_outcomes_job, survival_job, tiva_job, publish_job, refresh_job]


def build_definitions(
    warehouse: Warehouse | None = None,
    raw_inputs: RawInputs | None = None,
    gate_settings: GateSettings | None = None,
    published_marts: PublishedMarts | None = None,
    settings: DiagnosticSettings | None = None,
) -> dg.Definitions:
    """The project's definitions; tests pass resources pointing at temporary folders."""
    return dg.Definitions(
        assets=[*raw.assets, *clean.assets, *tiva.RAW_ASSETS, *trade_outcomes.ASSETS, *survival.ASSETS,
                *tiva.ASSETS, publish.marts_file],
        jobs=JOBS,
        sensors=[raw_files_sensor],
        schedules=[nightly_refresh],
        resources={
            "warehouse": warehouse or Warehouse(),
            "raw_inputs": raw_inputs or RawInputs(),
            "gate_settings": gate_settings or GateSettings(),
            "published_marts": published_marts or PublishedMarts(),
            "settings": settings or DiagnosticSettings(),
        },
        # DuckDB allows one writing process per file: steps run in this process, one at a time
        # (DuckDB itself uses every core inside each step).
        executor=dg.in_process_executor,
    )


defs = build_definitions()
