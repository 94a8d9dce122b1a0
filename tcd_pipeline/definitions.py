"""The Dagster code location: every chapter of ``tcd_pipeline/defs`` plus the resources.

``dg dev`` / ``dagster dev`` load it through ``workspace.yaml``; ``make run`` uses the same
definitions through ``tcd_pipeline.run``. The assets, checks, jobs, sensors and schedules are
found by ``dg.load_from_defs_folder`` in ``tcd_pipeline/defs/<chapter>/``; this module adds the
resources (typed in ``tcd_pipeline/lib/resources.py``, every setting declared once in
``tcd_pipeline/config.py``) and the executor.
"""

from functools import cache
from pathlib import Path

import dagster as dg

from tcd_pipeline.lib.code_versions import with_code_versions
from tcd_pipeline.lib.gated import GateSettings
from tcd_pipeline.lib.resources import DiagnosticSettings, PublishedMarts, RawInputs, Warehouse

# who to ask about an asset, by chapter (the asset group): the data engineers run the ingest and the
# publication; the economists own the indicators
OWNERS = {"ingest": ["team:data-engineering"], "publication": ["team:data-engineering"],
          "trade_outcomes": ["team:trade-economists"], "survival": ["team:trade-economists"],
          "tiva": ["team:trade-economists"], "tariffs": ["team:trade-economists"], "report": ["team:trade-economists"]}


@cache
def chapters() -> dg.Definitions:
    """Everything under ``tcd_pipeline/defs``, without resources, with code versions and owners."""
    return with_code_versions(dg.load_from_defs_folder(path_within_project=Path(__file__).parent), OWNERS)


def build_definitions(
    warehouse: Warehouse | None = None,
    raw_inputs: RawInputs | None = None,
    gate_settings: GateSettings | None = None,
    published_marts: PublishedMarts | None = None,
    settings: DiagnosticSettings | None = None,
) -> dg.Definitions:
    """The project's definitions; tests and benchmarks pass resources pointing at temporary folders.

    A warehouse given by path needs its own published file and reports folder, given by path too:
    left to the defaults, its marts would replace the file BI tools read, and its report the user's.
    """
    if warehouse is not None and warehouse.database is not None and (
            published_marts is None or published_marts.path is None or published_marts.reports is None):
        raise ValueError(f"build_definitions: the warehouse {warehouse.database} needs its own published file and "
                         "reports folder (published_marts=PublishedMarts(path=..., reports=...)); left to the "
                         "defaults, its marts would replace the file BI tools read")
    return dg.Definitions.merge(chapters(), dg.Definitions(
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
    ))


defs = build_definitions()
