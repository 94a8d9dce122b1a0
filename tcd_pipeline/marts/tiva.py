"""Declarations of the trade-in-value-added marts (report chapter 3)."""

from tcd_pipeline.marts.catalog import Mart

MARTS: tuple[Mart, ...] = ()
