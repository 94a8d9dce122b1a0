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
    partitions_def=raw.baci_flows.partitions_def,
    description="One BACI year: raw file to gated clean flows.",
)

defs = dg.Definitions(
    assets=[*raw.assets, *clean.assets],
    asset_checks=gate_checks(),
    jobs=[reference_job, flows_job],
    resources={"warehouse": Warehouse(), "raw_inputs": RawInputs(), "gate_settings": GateSettings()},
    executor=dg.in_process_executor,
)
