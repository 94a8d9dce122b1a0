"""Load SQL statements kept in the repository's ``sql/`` folder (one statement per file)."""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache
from typing import Iterator

import duckdb

from tcd_pipeline.config import SQL_DIR


@cache
def load_sql(name: str) -> str:
    """Text of ``sql/<name>.sql``, e.g. ``load_sql("ingest/clean/flows")``.

    Statements take bound parameters (``$year``, ``$path``); values are never formatted in.
    """
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no SQL statement {name!r} (looked for {path})")
    return path.read_text(encoding="utf-8")


_OPEN: set[int] = set()  # id() of the connections inside an ``atomic`` block (DuckDB cannot tell)


@contextmanager
def atomic(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One transaction around the block; inside an enclosing ``atomic`` block, part of that one.

    Assets stage their writes in one transaction that their gates verify before it commits
    (:func:`tcd_pipeline.lib.gated.gated_build`); the builders they call use ``atomic`` so
    that, called on their own (tests, scripts), they are still all-or-nothing.
    """
    if id(con) in _OPEN:
        yield con
        return
    con.execute("BEGIN")
    _OPEN.add(id(con))
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        _OPEN.discard(id(con))
