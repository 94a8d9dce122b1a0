"""The Dagster code location: assets, gates, jobs and resources (``dagster dev`` / ``dg dev`` load this)."""

import dagster as dg

from tcd_pipeline.assets import clean, raw
from tcd_pipeline.assets.gates import GateSettings, gate_checks
from tcd_pipeline.resources import RawInputs, Warehouse

reference_selection = dg.AssetSelection.assets(
    raw.country_codes, raw.product_codes, raw.wdi, clean.countries, clean.products, clean.macro
)
flows_selection = dg.AssetSelection.assets(raw.baci_flows, clean.flows)

reference_job = dg.define_asset_job(
    "reference_job",
    selection=reference_selection,
    description="Code lists and WDI: raw files to clean dimension and macro tables, with their gates.",
)
flows_job = dg.define_asset_job(
    "flows_job",
    selection=flows_selection,
    description="One BACI year: raw file to gated clean flows.",
)



def build_definitions(
    warehouse: Warehouse | None = None,
    raw_inputs: RawInputs | None = None,
    gate_settings: GateSettings | None = None,
) -> dg.Definitions:
    """The project's definitions; tests pass resources pointing at temporary folders."""
    return dg.Definitions(
        assets=[*raw.assets, *clean.assets],
        asset_checks=gate_checks(),
        jobs=[reference_job, flows_job],
        resources={
            "warehouse": warehouse or Warehouse(),
            "raw_inputs": raw_inputs or RawInputs(),
            "gate_settings": gate_settings or GateSettings(),
        },
        # DuckDB allows one writing process per file: steps run in this process, one at a time
        # (DuckDB itself uses every core inside each step).
        executor=dg.in_process_executor,
    )


defs = build_definitions()
