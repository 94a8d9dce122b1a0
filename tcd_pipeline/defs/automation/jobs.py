"""The jobs: one per layer, selected by chapter (the Dagster asset group of each folder of ``defs/``).

``make run``, the raw-file sensor and the nightly schedule run them in this order: the reference
tables, each changed BACI year, the four mart chapters, the publication, then the report.
"""

import dagster as dg

_FLOWS = dg.AssetSelection.assets(dg.AssetKey(["raw", "baci_flows"]), dg.AssetKey(["clean", "flows"]))

reference_job = dg.define_asset_job(
    "ingest_reference_job",
    selection=dg.AssetSelection.groups("ingest") - _FLOWS,
    description="Ingest: code lists, WDI, services, tariffs, distances and input-output tables, raw files to clean "
                "reference tables, with their gates.",
)
flows_job = dg.define_asset_job(
    "ingest_flows_job",
    selection=_FLOWS,
    description="Ingest: one BACI year, raw file to gated clean flows (partitioned by year).",
)
trade_outcomes_job = dg.define_asset_job(
    "trade_outcomes_job",
    selection=dg.AssetSelection.groups("trade_outcomes"),
    description="Trade-outcome marts (report sections 2.1-2.3) from the clean layer, with their gates.",
)
survival_job = dg.define_asset_job(
    "survival_job",
    selection=dg.AssetSelection.groups("survival"),
    description="Export spells and survival marts (report section 2.4), with their gates.",
)
tiva_job = dg.define_asset_job(
    "tiva_job",
    selection=dg.AssetSelection.groups("tiva"),
    description="Trade in value added: Leontief decompositions and GVC marts (chapter 3), with their gates.",
)
tariffs_job = dg.define_asset_job(
    "tariffs_job",
    selection=dg.AssetSelection.groups("tariffs"),
    description="Tariff marts (report section 3.2): average applied tariffs by end use and their change, with their "
                "gates.",
)
publish_job = dg.define_asset_job(
    "publish_job",
    selection=dg.AssetSelection.groups("publication"),
    description="Publish: copy the gated marts to the BI file and swap it in atomically.",
)
report_job = dg.define_asset_job(
    "report_job",
    selection=dg.AssetSelection.groups("report"),
    description="Report: render the focus country's diagnostic (HTML and Excel) from the published file; the run "
                "config's focus and comparators render another country's without rebuilding any mart.",
)
