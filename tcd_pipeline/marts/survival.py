"""Declarations of the survival marts (report section 2.4)."""

from tcd_pipeline.marts.catalog import Mart

MARTS: tuple[Mart, ...] = ()
