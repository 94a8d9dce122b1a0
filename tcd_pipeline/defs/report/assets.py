"""The diagnostic report: the published file -> ``<reports>/tcd_<FOCUS>.html`` and ``.xlsx``.

It reads the published file only (read-only, no warehouse lock): a report for another country is a run of
``report_job`` with the run config ``{"ops": {"report__diagnostic": {"config": {"focus": "CHL"}}}}`` (or
``python -m tcd_pipeline.report --focus CHL``), without rebuilding any mart.
"""

import dagster as dg

from tcd_pipeline.lib.keys import PUBLISH_MARTS_FILE, REPORT_DIAGNOSTIC
from tcd_pipeline.lib.resources import DiagnosticSettings, PublishedMarts
from tcd_pipeline.report.render import render


class ReportConfig(dg.Config):
    """Who the report is about; unset fields take the settings (``TCD_FOCUS``, ``TCD_COMPARATORS``)."""

    focus: str | None = None  # ISO3, e.g. "CHL"
    comparators: list[str] | None = None  # ISO3 codes, e.g. ["RUS", "AZE"]


@dg.asset(key=REPORT_DIAGNOSTIC, group_name="report", deps=[PUBLISH_MARTS_FILE], kinds={"html", "excel"})
def diagnostic(context: dg.AssetExecutionContext, config: ReportConfig, published_marts: PublishedMarts,
               settings: DiagnosticSettings) -> dg.MaterializeResult:
    """The Trade Competitiveness Diagnostic of the focus country against its comparators: one self-contained
    HTML file and an Excel workbook, every number read from the published file."""
    resolved = DiagnosticSettings(
        focus=config.focus or settings.focus,
        comparators=",".join(config.comparators) if config.comparators is not None else settings.comparators,
    ).resolved()
    files = render(published_marts.resolved_path(), published_marts.reports_dir(), resolved.focus,
                   resolved.comparators)
    context.log.info(f"report for {files.focus} in {files.seconds:.1f} s: {files.html}")
    if files.empty:
        context.log.warning(f"without data (the report says what would fill them): {', '.join(files.empty)}")
    return dg.MaterializeResult(metadata={
        "html": dg.MetadataValue.path(str(files.html)),
        "workbook": dg.MetadataValue.path(str(files.workbook)),
        "url": dg.MetadataValue.url(files.html.resolve().as_uri()),
        "focus": files.focus,
        "comparators": ", ".join(files.comparators),
        "published_version": files.version,
        "figures": files.figures,
        "tables": files.tables,
        "empty": dg.MetadataValue.json(list(files.empty)),
        "seconds": round(files.seconds, 2),
    })
