"""Materialization metadata: row count, column schema and a short preview of a warehouse table."""

from __future__ import annotations

from typing import Any, Sequence

import dagster as dg
import duckdb

FOCUS_COLUMNS = ("country", "exporter")  # the column that names the country: marts say country, spells exporter


def table_metadata(
    con: duckdb.DuckDBPyConnection,
    table: str,
    *,
    where: str | None = None,
    params: Sequence[Any] = (),
    preview_rows: int = 5,
    focus: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Standard metadata of ``table`` (optionally restricted to a partition by ``where``).

    With ``focus`` (the diagnostic's country), the preview shows that country's rows first, latest
    year first, when the table has a country column: what an analyst opening the asset wants to see.
    """
    condition = f" WHERE {where}" if where else ""
    rows = con.execute(f"SELECT count(*) FROM {table}{condition}", list(params)).fetchone()[0]
    columns = con.execute(f"DESCRIBE {table}").fetchall()
    names = [c[0] for c in columns]
    order, order_params = "", []
    country = next((c for c in FOCUS_COLUMNS if c in names), None)
    if focus and country:
        order = f' ORDER BY "{country}" = ? DESC' + (", year DESC" if "year" in names else "") + f', "{country}"'
        order_params = [focus]
    preview = con.execute(f"SELECT * FROM {table}{condition}{order} LIMIT {int(preview_rows)}",
                          [*params, *order_params])
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
