"""Key findings: short sentences per margin, built from the report's frames (pure functions)."""

from __future__ import annotations

from tcd_pipeline.report.spec import Report


def key_findings(report: Report) -> dict[str, list[str]]:
    """Section id -> sentences."""
    return {}
