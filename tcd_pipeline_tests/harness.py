"""Test harness: the real definitions on an input folder and a warehouse in tmp_path."""

from pathlib import Path

import dagster as dg
import duckdb

from tcd_pipeline.definitions import build_definitions
from tcd_pipeline.lib.gated import GateSettings
from tcd_pipeline.lib.resources import DiagnosticSettings, PublishedMarts, RawInputs, Warehouse
from tcd_pipeline.refresh import refresh
from tcd_pipeline_tests.tiny_world import write_tiny_world


class World:
    def __init__(self, root: Path, inputs: Path | None = None, hs: str = "92", engine: str = "sql",
                 periods: str = "2001-2002", io_tables: str | None = None, **settings):
        """``io_tables``: RawInputs.io_tables (None = $TCD_IO_TABLES, else auto); ``settings``: more DiagnosticSettings fields."""
        self.inputs = inputs or write_tiny_world(root / "inputs")
        self.warehouse = root / "warehouse.duckdb"
        self.published = root / "published" / "tcd.duckdb"
        self.defs = build_definitions(
            Warehouse(database=str(self.warehouse)),
            RawInputs(directory=str(self.inputs), hs_vintage=hs, io_tables=io_tables),
            GateSettings(engine=engine),
            PublishedMarts(path=str(self.published), reports=str(root / "reports")),
            DiagnosticSettings(growth_periods=periods, **settings),
        )
        self.instance = dg.DagsterInstance.ephemeral()
        self.messages: list[str] = []

    def refresh(self, **kw):
        return refresh(self.defs, self.instance, log=self.messages.append, log_level="WARNING", **kw)

    def query(self, sql, params=(), published: bool = False):
        with duckdb.connect(str(self.published if published else self.warehouse), read_only=True) as con:
            return con.execute(sql, list(params)).fetchall()

    def materializations(self, key: str, partition: str | None = None) -> int:
        records = self.instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=dg.AssetKey(key.split("/")),
                                  asset_partitions=[partition] if partition else None),
            limit=1000,
        ).records
        return len(records)
