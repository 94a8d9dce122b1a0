"""Mart declarations and the one function that builds a mart table from its SQL.

A :class:`Mart` is the contract with BI users: its name, grain and the grain's key columns,
columns (type, unit, definition, nullability, range, allowed values) and an example query. The
declaration is written once and generates the structural part of the mart's gate
(:mod:`tcd_pipeline.warehouse.contract_suites`), the DuckDB COMMENTs, the data dictionary
``docs/marts.md`` and the Dagster column schema. :func:`build_mart` replaces ``marts.<name>`` in
one transaction, checks that the statement produced exactly the declared columns, and writes the
declaration as DuckDB COMMENTs, so ``duckdb_columns()`` and ``docs/marts.md`` say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping

import duckdb
import polars as pl

from tcd_pipeline.warehouse.sql import atomic

STAGING_PREFIX = "_staging_"


@dataclass(frozen=True)
class Range:
    """Allowed values of a numeric column: ``min``/``max`` (None = open), each inclusive or not.

    NULLs are outside the question (see ``Column.nullable``); NaN and infinities fail any range
    in the gates (``tcd_pipeline.gates.sql_engine``).
    """

    min: float | None = None
    max: float | None = None
    min_inclusive: bool = True
    max_inclusive: bool = True

    def __post_init__(self) -> None:
        if self.min is None and self.max is None:
            raise ValueError("a Range needs a min or a max")

    def text(self) -> str:
        """``[0, 1]``, ``(0, inf)``, ``[-100, inf)``: interval notation."""
        low = "-inf" if self.min is None else f"{self.min:g}"
        high = "inf" if self.max is None else f"{self.max:g}"
        left = "[" if self.min is not None and self.min_inclusive else "("
        right = "]" if self.max is not None and self.max_inclusive else ")"
        return f"{left}{low}, {high}{right}"


NON_NEGATIVE = Range(0)
POSITIVE = Range(0, min_inclusive=False)
UNIT_INTERVAL = Range(0, 1)  # shares as fractions, probabilities, HHI
PERCENT = Range(0, 100)  # shares in percent
ISO3 = "^[A-Z]{3}$"


@dataclass(frozen=True)
class Column:
    """One declared column; ``nullable=False``, ``range``, ``values`` (allowed set) and ``pattern``
    (a regular expression every value matches) become expectations of the mart's gate."""

    name: str
    type: str
    unit: str
    definition: str
    nullable: bool = True
    range: Range | None = None
    values: tuple[str, ...] | None = None
    pattern: str | None = None

    def comment(self) -> str:
        return f"{self.definition} [{self.unit}]" if self.unit else self.definition

    def but(self, **changes: Any) -> Column:
        """The same column with some fields changed (e.g. a shared column that one mart requires)."""
        return replace(self, **changes)

    def allowed(self) -> str:
        """What the declaration allows, in words: the range, the value set or the pattern ("" for anything)."""
        parts = [self.range.text()] if self.range else []
        if self.values is not None:
            parts.append("one of " + ", ".join(self.values))
        if self.pattern is not None:
            parts.append(f"matches {self.pattern}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Mart:
    """A mart's contract: ``key`` is the grain's columns (unique together), ``min_rows`` the
    fewest rows a valid build has (0: an empty mart is valid, e.g. no configured period in the data).
    ``schema``: where the table lives (``dim`` for the published file's dimension tables); its asset
    is ``<schema>/<name>`` and its suite ``<schema>_<name>``."""

    name: str
    grain: str
    description: str
    columns: tuple[Column, ...]
    example: str  # a query a BI user would run
    chapter: str = ""
    key: tuple[str, ...] = ()
    min_rows: int = 0
    schema: str = "marts"  # "dim" for the dimension tables of the published file

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: a column is declared twice in {names}")
        if unknown := [k for k in self.key if k not in names]:
            raise ValueError(f"{self.name}: key column(s) {unknown} are not declared")

    @property
    def table(self) -> str:
        return f"{self.schema}.{self.name}"

    def comment(self) -> str:
        key = f" Key: {', '.join(self.key)}." if self.key else ""
        return f"{self.description} Grain: {self.grain}.{key}"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def build_mart(con: duckdb.DuckDBPyConnection, mart: Mart, select_sql: str, params: Mapping[str, Any] | None = None,
               drop: str | None = None) -> int:
    """Replace ``marts.<name>`` with the rows of ``select_sql`` (bound ``params``); return the row count.

    The statement's columns must be exactly the declared ones, in order (else ValueError).
    Types are cast to the declared types. The replacement and its comments are one transaction:
    readers of the warehouse see the old table or the new one, never a mix.
    """
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {mart.schema}")
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


@dataclass(frozen=True)
class KeptRows:
    """The rows of the mart being built whose ``key`` columns have these values, kept as they are in the
    table (a per-year mart's unchanged year: :mod:`tcd_pipeline.defs.trade_outcomes.year_reuse`)."""

    key: tuple[tuple[str, int], ...]  # e.g. (("year", 2001),)

    def where(self) -> str:
        return " AND ".join(f'"{column}" = {int(value)}' for column, value in self.key)


def _declared_types(con: duckdb.DuckDBPyConnection, mart: Mart) -> bool:
    """Whether ``mart``'s table exists with exactly the declared columns and types, in order."""
    found = con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = current_database() "
                        "AND schema_name = ? AND table_name = ? ORDER BY column_index", [mart.schema, mart.name]).fetchall()
    return found == [(c.name, c.type) for c in mart.columns]


def build_mart_from_frames(con: duckdb.DuckDBPyConnection, mart: Mart,
                           frames: Iterable[pl.DataFrame | duckdb.DuckDBPyRelation | KeptRows]) -> int:
    """Replace ``marts.<name>`` with the concatenation of ``frames`` (e.g. one per year, so only
    one year is in memory at a time). Each frame must hold the declared columns (extra ones are
    dropped); a DuckDB relation on ``con`` is copied without leaving the warehouse. :class:`KeptRows`
    leave those rows of the table in place: the other rows are deleted and the computed frames added
    (in place of writing the whole table again; when the table is not as declared, the kept rows are
    copied into a new one instead). The swap and the comments are one transaction."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {mart.schema}")
    staging = f"{mart.schema}.{STAGING_PREFIX}{mart.name}"
    columns = ", ".join(f'"{c.name}" {c.type}' for c in mart.columns)
    con.execute(f"CREATE OR REPLACE TABLE {staging} ({columns})")
    names = [c.name for c in mart.columns]
    quoted = [f'"{n}"' for n in names]
    kept: list[KeptRows] = []
    for frame in frames:
        if isinstance(frame, KeptRows):
            kept.append(frame)
            continue
        missing = [n for n in names if n not in frame.columns]
        if missing:
            con.execute(f"DROP TABLE {staging}")
            raise ValueError(f"{mart.table}: the computation gives no column(s) {missing}")
        if isinstance(frame, duckdb.DuckDBPyRelation):
            part = frame  # noqa: F841 (read by DuckDB below)
            con.execute(f"INSERT INTO {staging} SELECT {', '.join(quoted)} FROM part")
            continue
        part = frame.select(names)  # noqa: F841 (read by DuckDB below)
        con.execute(f"INSERT INTO {staging} SELECT * FROM part")
    if kept and _declared_types(con, mart):
        keep = " OR ".join(f"({k.where()})" for k in kept)
        with atomic(con):  # inside an asset: part of the transaction its gate verifies before commit
            con.execute(f"DELETE FROM {mart.table} WHERE NOT coalesce({keep}, false)")  # a NULL key is not kept
            con.execute(f"INSERT INTO {mart.table} SELECT * FROM {staging}")
            apply_comments(con, mart)
            con.execute(f"DROP TABLE {staging}")
            return con.execute(f"SELECT count(*) FROM {mart.table}").fetchone()[0]
    for k in kept:  # no table as declared to keep them in: copied like any other rows
        con.execute(f"INSERT INTO {staging} SELECT {', '.join(quoted)} FROM {mart.table} WHERE {k.where()}")
    return build_mart(con, mart, f"SELECT * FROM {staging}", drop=staging)


def apply_comments(con: duckdb.DuckDBPyConnection, mart: Mart, table: str | None = None) -> None:
    """COMMENT ON the table and each column from the declaration (DDL takes no bound parameters)."""
    target = table or mart.table
    con.execute(f"COMMENT ON TABLE {target} IS {_literal(mart.comment())}")
    for column in mart.columns:
        con.execute(f'COMMENT ON COLUMN {target}."{column.name}" IS {_literal(column.comment())}')
