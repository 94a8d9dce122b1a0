"""Materialization metadata: row count, column schema and a short preview of a warehouse table."""

from __future__ import annotations

from typing import Any, Sequence

import dagster as dg
import duckdb


def table_metadata(
    con: duckdb.DuckDBPyConnection,
    table: str,
    *,
    where: str | None = None,
    params: Sequence[Any] = (),
    preview_rows: int = 5,
    **extra: Any,
) -> dict[str, Any]:
    """Standard metadata of ``table`` (optionally restricted to a partition by ``where``)."""
    condition = f" WHERE {where}" if where else ""
    rows = con.execute(f"SELECT count(*) FROM {table}{condition}", list(params)).fetchone()[0]
    columns = con.execute(f"DESCRIBE {table}").fetchall()
    preview = con.execute(f"SELECT * FROM {table}{condition} LIMIT {int(preview_rows)}", list(params))
    names = [d[0] for d in preview.description]
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join("" if v is None else str(v) for v in row) + " |" for row in preview.fetchall()]
    return {
        "dagster/row_count": dg.MetadataValue.int(rows),
        "dagster/column_schema": dg.TableSchema(
            columns=[dg.TableColumn(name=c[0], type=str(c[1])) for c in columns]
        ),
        "dagster/table_name": table,
        "preview": dg.MetadataValue.md("\n".join(lines)),
        **extra,
    }
