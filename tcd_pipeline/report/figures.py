"""The report's figures, drawn with matplotlib (Agg backend) and returned as inline SVG text."""

from __future__ import annotations

import polars as pl

from tcd_pipeline.report.spec import Item, Report


def draw(report: Report, item: Item, frame: pl.DataFrame) -> str:
    """The figure of ``item`` as an ``<svg>`` element ('' when the frame is empty)."""
    return ""
