"""Compare the marts of two published files: same tables, same columns, same rows; floats to 1e-12 (relative).

    python -m tcd_pipeline_tests.compare_published BEFORE.duckdb AFTER.duckdb

What a refactoring must leave unchanged ("behaviour unchanged"): build the sample (or WIOD) before
and after into two published files and compare them; prints the number of differences (0 expected).
"""

import math
import sys

import duckdb

TABLES = "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1"
COLUMNS = "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'marts' AND table_name = ? ORDER BY column_index"


def _same(u, v) -> bool:
    if isinstance(u, float) and isinstance(v, float):
        return u == v or (math.isnan(u) and math.isnan(v)) or abs(u - v) <= 1e-12 * max(1.0, abs(u), abs(v))
    return u == v


def compare(before: str, after: str) -> tuple[int, int, list[str]]:
    """(marts, rows compared, differences in words)."""
    ca, cb = duckdb.connect(before, read_only=True), duckdb.connect(after, read_only=True)
    tables = [r[0] for r in ca.execute(TABLES).fetchall()]
    if tables != [r[0] for r in cb.execute(TABLES).fetchall()]:
        return len(tables), 0, [f"tables differ: {sorted(set(tables) ^ {r[0] for r in cb.execute(TABLES).fetchall()})}"]
    rows, differences = 0, []
    for table in tables:
        columns = [r[0] for r in ca.execute(COLUMNS, [table]).fetchall()]
        if columns != [r[0] for r in cb.execute(COLUMNS, [table]).fetchall()]:
            differences.append(f"{table}: columns differ")
            continue
        order = ", ".join(f'"{c}"' for c in columns)
        ra = ca.execute(f'SELECT * FROM marts."{table}" ORDER BY {order}').fetchall()
        rb = cb.execute(f'SELECT * FROM marts."{table}" ORDER BY {order}').fetchall()
        rows += len(ra)
        if len(ra) != len(rb):
            differences.append(f"{table}: {len(ra)} rows before, {len(rb)} after")
            continue
        differences += [f"{table}: {x} -> {y}" for x, y in zip(ra, rb) if not all(map(_same, x, y))]
    return len(tables), rows, differences


if __name__ == "__main__":
    marts, rows, differences = compare(sys.argv[1], sys.argv[2])
    for line in differences[:20]:
        print(line)
    print(f"{marts} marts, {rows} rows compared, {len(differences)} differences")
