"""Spell tables read and collapsed with DuckDB's relational API: the reference for ``spells.survival_counts``.

Provenance: written for this project. The pipeline collapses identical spells into weights in one
SQL statement for the four group types of the survival marts
(``sql/survival/spells/survival_counts.sql``, via
:func:`tcd_pipeline.defs.survival.spells.build_survival_counts`). :func:`spell_counts` computes
the same counts for any grouping from a relation built on a spell table, and :func:`with_period`
adds the before/after split at the event year, so the statement can be checked group type by
group type; METHODS.md section 4: Kaplan-Meier and the log-rank tests depend on the spells only
through these counts ("identical spells can be collapsed into weights"). :func:`read_spells` reads
a spell table sorted like :func:`tcd_pipeline_tests.reference.spells_polars.export_spells`. These
functions were part of ``tcd_pipeline/defs/survival/spells.py``; the pipeline never called them.

Used by ``tcd_pipeline_tests/defs/survival/test_spells.py`` (DuckDB spells against the polars
reference; ``spells.survival_counts`` against :func:`spell_counts` for every group type, with and
without left-censored spells) and ``tcd_pipeline_tests/defs/survival/test_marts_survival.py``
(:func:`read_spells`).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import polars as pl

from tcd_pipeline.core.spells import SPELL_COLUMNS
from tcd_pipeline.defs.survival.spells import LEVELS, spells_table


def read_spells(con: duckdb.DuckDBPyConnection, level: str = "bilateral") -> pl.DataFrame:
    """The spell table as a polars frame, sorted like :func:`~tcd_pipeline_tests.reference.spells_polars.export_spells`."""
    table = spells_table(level)  # validates level
    keys = LEVELS[level][1]
    columns = [f"CAST({k} AS VARCHAR) AS {k}" for k in keys] + list(SPELL_COLUMNS)  # codes are ENUMs in the table
    order = ", ".join([*keys, "first_year"])
    return con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}").pl()


def _quoted(relation: duckdb.DuckDBPyRelation, columns: Sequence[str]) -> list[str]:
    missing = [c for c in columns if c not in relation.columns]
    if missing:
        raise ValueError(f"no column {missing} in the relation (columns: {relation.columns})")
    return ['"' + c.replace('"', '""') + '"' for c in columns]


def spell_counts(
    relation: duckdb.DuckDBPyRelation,
    by: Sequence[str] = (),
    *,
    include_left_censored: bool = False,
) -> pl.DataFrame:
    """Identical spells collapsed into weights, computed in DuckDB: ``by``, duration, event, weight.

    ``relation`` is a spell table (``con.table(spells_table())``) or a relation built on one
    (joined to a sector or region map, or :func:`with_period`). Left-censored spells are left
    out unless ``include_left_censored``.
    """
    cols = _quoted(relation, [*by, "duration", "event", "left_censored"])
    keys = ", ".join(cols[:-1])
    if not include_left_censored:
        relation = relation.filter(duckdb.ColumnExpression("left_censored") == duckdb.ConstantExpression(False))
    counts = relation.aggregate(f"{keys}, CAST(count(*) AS DOUBLE) AS weight", keys)
    return counts.order(keys).pl()


def with_period(
    relation: duckdb.DuckDBPyRelation, event_year: int, column: str = "period"
) -> duckdb.DuckDBPyRelation:
    """Add ``column`` = "before" for spells that start before ``event_year``, else "after"."""
    starts_before = duckdb.ColumnExpression("first_year") < duckdb.ConstantExpression(int(event_year))
    period = duckdb.CaseExpression(starts_before, duckdb.ConstantExpression("before"))
    period = period.otherwise(duckdb.ConstantExpression("after")).alias(column)
    return relation.select(duckdb.StarExpression(), period)
