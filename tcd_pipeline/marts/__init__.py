"""Marts: the tables BI tools read. Each is declared once (grain, columns, units, definitions);
the declaration creates the DuckDB COMMENTs and the data dictionary ``docs/marts.md``."""

from tcd_pipeline.marts import survival, tiva, trade
from tcd_pipeline.marts.catalog import Column, Mart, apply_comments, build_mart, build_mart_from_frames

ALL: dict[str, Mart] = {m.name: m for m in (*trade.MARTS, *survival.MARTS, *tiva.MARTS)}

__all__ = ["ALL", "Column", "Mart", "apply_comments", "build_mart", "build_mart_from_frames"]
