"""Whether the focus country's report shows the published file: what the refresh planner asks
(``make run`` and the sensors) before it renders the report again."""

import duckdb

from tcd_pipeline.lib.resources import DiagnosticSettings, PublishedMarts
from tcd_pipeline.report.render import stale_reason
from tcd_pipeline.warehouse.plan import Plan, published_version


def report_reason(con: duckdb.DuckDBPyConnection, plan: Plan, published: PublishedMarts,
                  settings: DiagnosticSettings) -> str:
    """Why the report must be rendered now ("" when it is up to date, or when the published file must be
    written first: the publish stage comes before, and the report follows it)."""
    if plan.run_marts or plan.republish_reason:
        return ""
    try:
        resolved = settings.resolved()
        reports = published.reports_dir()
    except ValueError as exc:  # a bad setting: the report job's run says which
        return f"the report settings: {exc}"
    return stale_reason(reports, resolved.focus, resolved.comparators, published_version(con))
