"""Typed Dagster resources: the DuckDB warehouse and the raw-input folder.

Both default to the embedded sample set-up and read their environment variables
(``TCD_WAREHOUSE``, ``TCD_INPUT_DIR``, ``TCD_HS_VINTAGE``, ``TCD_IO_TABLES``) when used, never at
import time.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import dagster as dg
import duckdb

from tcd_pipeline import paths
from tcd_pipeline.sources import Inventory, scan_inputs
from tcd_pipeline.sources.io_tables import IO_TABLES

SCHEMAS = ("raw", "clean", "meta")


def connect_with_retry(path: Path, read_only: bool = False, wait_seconds: float = 60.0) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file, waiting while another process holds its lock (one writer per file).

    Only lock conflicts are retried (a sensor reading the manifest, a run finishing); any
    other error is raised at once.
    """
    deadline = time.monotonic() + wait_seconds
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


class Warehouse(dg.ConfigurableResource):
    """The DuckDB warehouse file (default ``$TCD_WAREHOUSE`` or ``data/warehouse.duckdb``)."""

    path: str = ""
    lock_wait_seconds: float = 60.0
    memory_limit: str = ""  # "" -> $TCD_DUCKDB_MEMORY_LIMIT or 6GB; DuckDB spills to disk beyond it

    def resolved_path(self) -> Path:
        return Path(self.path) if self.path else paths.warehouse_path()

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        target = self.resolved_path()
        target.parent.mkdir(parents=True, exist_ok=True)
        con = connect_with_retry(target, wait_seconds=self.lock_wait_seconds)
        try:
            # DuckDB otherwise takes 80 % of RAM; one sort of 190 million flows peaked at 17.8 GB
            # without a limit, 6.1 GB with 6 GB (spilling). The spell build sorts 25 million flows
            # at a time and peaks near 2.9 GB at full scale (docs/benchmarks.md)
            limit = self.memory_limit or os.environ.get("TCD_DUCKDB_MEMORY_LIMIT") or "6GB"
            con.execute("SET memory_limit = ?", [limit])
            for schema in SCHEMAS:
                con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
            yield con
        finally:
            con.close()


class RawInputs(dg.ConfigurableResource):
    """The folder of raw files in their published layouts (default ``$TCD_INPUT_DIR`` or the sample)."""

    directory: str = ""
    hs_vintage: str = ""  # "" -> $TCD_HS_VINTAGE or "92" (one HS vintage per panel)
    # "" -> $TCD_IO_TABLES or "auto": the one input-output family per warehouse (auto | icio | wiod2013 | wiod_long_run)
    io_tables: str = ""

    def resolved_dir(self) -> Path:
        return Path(self.directory) if self.directory else paths.input_dir()

    def resolved_hs(self) -> str:
        return self.hs_vintage or os.environ.get("TCD_HS_VINTAGE") or "92"

    def resolved_io_tables(self) -> str:
        """``auto`` (the one family found), ``icio``, ``wiod2013`` or ``wiod_long_run``; anything else is named."""
        value = (self.io_tables or os.environ.get("TCD_IO_TABLES") or "auto").strip()
        if value not in IO_TABLES:
            raise ValueError(f"setting raw_inputs.io_tables ($TCD_IO_TABLES): one of {', '.join(IO_TABLES)}; "
                             f"got {value!r}")
        return value

    def inventory(self) -> Inventory:
        return scan_inputs(self.resolved_dir(), hs=self.resolved_hs(), io_tables=self.resolved_io_tables())


class PublishedMarts(dg.ConfigurableResource):
    """The published marts file BI tools read (default ``$TCD_PUBLISHED`` or ``data/published/tcd.duckdb``)."""

    path: str = ""

    def resolved_path(self) -> Path:
        return Path(self.path) if self.path else paths.published_path()
