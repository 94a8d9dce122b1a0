"""Mart declarations and the one function that builds a mart table from its SQL.

A :class:`Mart` is the contract with BI users: its name, grain, columns (type, unit,
definition) and an example query. :func:`build_mart` replaces ``marts.<name>`` in one
transaction, checks that the statement produced exactly the declared columns, and writes the
declaration as DuckDB COMMENTs, so ``duckdb_columns()`` and ``docs/marts.md`` say the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

import duckdb
import polars as pl

from tcd_pipeline.warehouse.sql import atomic

STAGING_PREFIX = "_staging_"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    unit: str
    definition: str

    def comment(self) -> str:
        return f"{self.definition} [{self.unit}]" if self.unit else self.definition


@dataclass(frozen=True)
class Mart:
    name: str
    grain: str
    description: str
    columns: tuple[Column, ...]
    example: str  # a query a BI user would run
    chapter: str = ""

    @property
    def table(self) -> str:
        return f"marts.{self.name}"

    def comment(self) -> str:
        return f"{self.description} Grain: {self.grain}."


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def build_mart(con: duckdb.DuckDBPyConnection, mart: Mart, select_sql: str, params: Mapping[str, Any] | None = None,
               drop: str | None = None) -> int:
    """Replace ``marts.<name>`` with the rows of ``select_sql`` (bound ``params``); return the row count.

    The statement's columns must be exactly the declared ones, in order (else ValueError).
    Types are cast to the declared types. The replacement and its comments are one transaction:
    readers of the warehouse see the old table or the new one, never a mix.
    """
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    produced = [d[0] for d in con.execute(f"DESCRIBE {select_sql}", dict(params or {})).fetchall()]
    declared = [c.name for c in mart.columns]
    if produced != declared:
        raise ValueError(f"{mart.table}: the statement gives columns {produced}, the declaration {declared}")
    casts = ", ".join(f'CAST("{c.name}" AS {c.type}) AS "{c.name}"' for c in mart.columns)
    with atomic(con):  # inside an asset: part of the transaction its gate verifies before commit
        con.execute(f"CREATE OR REPLACE TABLE {mart.table} AS SELECT {casts} FROM ({select_sql})", dict(params or {}))
        apply_comments(con, mart)
        rows = con.execute(f"SELECT count(*) FROM {mart.table}").fetchone()[0]
        if drop:
            con.execute(f"DROP TABLE {drop}")
    return rows


def build_mart_from_frames(con: duckdb.DuckDBPyConnection, mart: Mart, frames: Iterable[pl.DataFrame]) -> int:
    """Replace ``marts.<name>`` with the concatenation of ``frames`` (e.g. one per year, so only
    one year is in memory at a time). Each frame must hold the declared columns (extra ones are
    dropped); the swap and the comments are one transaction."""
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    staging = f"marts.{STAGING_PREFIX}{mart.name}"
    columns = ", ".join(f'"{c.name}" {c.type}' for c in mart.columns)
    con.execute(f"CREATE OR REPLACE TABLE {staging} ({columns})")
    names = [c.name for c in mart.columns]
    for frame in frames:
        missing = [n for n in names if n not in frame.columns]
        if missing:
            con.execute(f"DROP TABLE {staging}")
            raise ValueError(f"{mart.table}: the computation gives no column(s) {missing}")
        part = frame.select(names)  # noqa: F841 (read by DuckDB below)
        con.execute(f"INSERT INTO {staging} SELECT * FROM part")
    return build_mart(con, mart, f"SELECT * FROM {staging}", drop=staging)


def apply_comments(con: duckdb.DuckDBPyConnection, mart: Mart, table: str | None = None) -> None:
    """COMMENT ON the table and each column from the declaration (DDL takes no bound parameters)."""
    target = table or mart.table
    con.execute(f"COMMENT ON TABLE {target} IS {_literal(mart.comment())}")
    for column in mart.columns:
        con.execute(f'COMMENT ON COLUMN {target}."{column.name}" IS {_literal(column.comment())}')
