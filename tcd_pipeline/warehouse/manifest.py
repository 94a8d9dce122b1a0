"""What each asset partition was built from (``meta.loaded_partitions``): the basis of incremental runs."""

from __future__ import annotations

import duckdb

from tcd_pipeline.warehouse.sql import load_sql


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute(load_sql("warehouse/loaded_partitions.ddl"))


def record(
    con: duckdb.DuckDBPyConnection, asset: str, partition: str, source: str, fingerprint: str, rows: int
) -> None:
    ensure(con)
    con.execute(
        load_sql("warehouse/loaded_partitions"),
        {"asset": asset, "partition": partition, "source": source, "fingerprint": fingerprint, "rows": rows},
    )


def source(con: duckdb.DuckDBPyConnection, asset: str, partition: str = "") -> str | None:
    """The raw file(s) the last build of ``asset``/``partition`` read, for messages."""
    if not _exists(con):
        return None
    row = con.execute(
        "SELECT source FROM meta.loaded_partitions WHERE asset = ? AND partition = ?", [asset, partition]
    ).fetchone()
    return row[0] if row else None


def forget(con: duckdb.DuckDBPyConnection, asset: str, partition: str) -> None:
    ensure(con)
    con.execute("DELETE FROM meta.loaded_partitions WHERE asset = ? AND partition = ?", [asset, partition])


def _exists(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the manifest table exists (readers may hold a read-only connection: no DDL)."""
    return con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'meta' AND table_name = 'loaded_partitions'"
    ).fetchone()[0] > 0


def fingerprints(con: duckdb.DuckDBPyConnection, asset: str) -> dict[str, str]:
    """partition -> fingerprint of the last successful build of ``asset``."""
    if not _exists(con):
        return {}
    rows = con.execute(
        "SELECT partition, fingerprint FROM meta.loaded_partitions WHERE asset = ?", [asset]
    ).fetchall()
    return dict(rows)


def verify(con: duckdb.DuckDBPyConnection, asset: str, partition: str = "") -> None:
    """Mark the asset's last build as verified (its gate passed): copy its record to ``verified/<asset>``."""
    ensure(con)
    con.execute(
        "INSERT OR REPLACE INTO meta.loaded_partitions "
        "SELECT 'verified/' || asset, partition, source, fingerprint, rows, now()::TIMESTAMP "
        "FROM meta.loaded_partitions WHERE asset = ? AND partition = ?",
        [asset, partition],
    )


def verified(con: duckdb.DuckDBPyConnection, asset: str) -> dict[str, str]:
    """partition -> fingerprint of the last build of ``asset`` whose gate passed."""
    return fingerprints(con, f"verified/{asset}")
