"""Compare the marts of two published files: same tables, same columns, same rows; floats to 1e-12 (relative).

    python -m tcd_pipeline_tests.compare_published BEFORE.duckdb AFTER.duckdb

What a refactoring must leave unchanged ("behaviour unchanged"): build the sample (or WIOD) before
and after into two published files and compare them; prints the number of differences (0 expected).
"""

import math
import sys

import duckdb

a, b = sys.argv[1], sys.argv[2]
ca, cb = duckdb.connect(a, read_only=True), duckdb.connect(b, read_only=True)
q = "SELECT table_name FROM duckdb_tables() WHERE schema_name='marts' ORDER BY 1"
ta, tb = [r[0] for r in ca.execute(q).fetchall()], [r[0] for r in cb.execute(q).fetchall()]
assert ta == tb, (set(ta) ^ set(tb))
bad = 0; total = 0
for t in ta:
    cols_a = [r[0] for r in ca.execute(f"SELECT column_name FROM duckdb_columns() WHERE schema_name='marts' AND table_name='{t}' ORDER BY column_index").fetchall()]
    cols_b = [r[0] for r in cb.execute(f"SELECT column_name FROM duckdb_columns() WHERE schema_name='marts' AND table_name='{t}' ORDER BY column_index").fetchall()]
    assert cols_a == cols_b, (t, cols_a, cols_b)
    order = ", ".join(f'"{c}"' for c in cols_a)
    ra = ca.execute(f'SELECT * FROM marts."{t}" ORDER BY {order}').fetchall()
    rb = cb.execute(f'SELECT * FROM marts."{t}" ORDER BY {order}').fetchall()
    total += len(ra)
    if len(ra) != len(rb):
        print(t, "rows", len(ra), len(rb)); bad += 1; continue
    for x, y in zip(ra, rb):
        for u, v in zip(x, y):
            if isinstance(u, float) and isinstance(v, float):
                if not (u == v or (math.isnan(u) and math.isnan(v)) or abs(u - v) <= 1e-12 * max(1.0, abs(u), abs(v))):
                    print(t, x, y); bad += 1; break
            elif u != v:
                print(t, x, y); bad += 1; break
print(f"{len(ta)} marts, {total} rows compared, {bad} differences")
