"""Typed Dagster resources: the DuckDB warehouse and the raw-input folder.

Both default to the embedded sample set-up and read their environment variables
(``TCD_WAREHOUSE``, ``TCD_INPUT_DIR``) when used, never at import time.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb

from tcd_pipeline import paths
from tcd_pipeline.sources import Inventory, scan_inputs

SCHEMAS = ("raw", "clean", "meta")


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse file (default ``$TCD_WAREHOUSE`` or ``data/warehouse.duckdb``)."""

    path: str = ""

    def resolved_path(self) -> Path:
        return Path(self.path) if self.path else paths.warehouse_path()

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        target = self.resolved_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(target))
        try:
            for schema in SCHEMAS:
                con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            yield con
        finally:
            con.close()


class RawInputs(dg.ConfigurableResource):
    """The folder of raw files in their published layouts (default ``$TCD_INPUT_DIR`` or the sample)."""

    directory: str = ""
    hs_vintage: str = "92"

    def resolved_dir(self) -> Path:
        return Path(self.directory) if self.directory else paths.input_dir()

    def inventory(self) -> Inventory:
        return scan_inputs(self.resolved_dir(), hs=self.hs_vintage)


class PublishedMarts(dg.ConfigurableResource):
    """The published marts file BI tools read (default ``$TCD_PUBLISHED`` or ``data/published/tcd.duckdb``)."""

    path: str = ""

    def resolved_path(self) -> Path:
        return Path(self.path) if self.path else paths.published_path()
