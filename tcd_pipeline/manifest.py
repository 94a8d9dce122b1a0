"""What each asset partition was built from (``meta.loaded_partitions``): the basis of incremental runs."""

from __future__ import annotations

import duckdb

from tcd_pipeline.sql import load_sql


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS meta")
    con.execute(load_sql("meta/loaded_partitions.ddl"))


def record(
    con: duckdb.DuckDBPyConnection, asset: str, partition: str, source: str, fingerprint: str, rows: int
) -> None:
    ensure(con)
    con.execute(
        load_sql("meta/loaded_partitions"),
        {"asset": asset, "partition": partition, "source": source, "fingerprint": fingerprint, "rows": rows},
    )


def source(con: duckdb.DuckDBPyConnection, asset: str, partition: str = "") -> str | None:
    """The raw file(s) the last build of ``asset``/``partition`` read, for messages."""
    ensure(con)
    row = con.execute(
        "SELECT source FROM meta.loaded_partitions WHERE asset = ? AND partition = ?", [asset, partition]
    ).fetchone()
    return row[0] if row else None


def forget(con: duckdb.DuckDBPyConnection, asset: str, partition: str) -> None:
    ensure(con)
    con.execute("DELETE FROM meta.loaded_partitions WHERE asset = ? AND partition = ?", [asset, partition])


def fingerprints(con: duckdb.DuckDBPyConnection, asset: str) -> dict[str, str]:
    """partition -> fingerprint of the last successful build of ``asset``."""
    ensure(con)
    rows = con.execute(
        "SELECT partition, fingerprint FROM meta.loaded_partitions WHERE asset = ?", [asset]
    ).fetchall()
    return dict(rows)
