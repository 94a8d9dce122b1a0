"""HS codes reach the gates as written: only the leading zero a numeric reader drops is restored.

BACI files written by tools that read k as a number lose the leading zero (``10110`` for
``010110``); that, and only that, is repaired. A longer or shorter code is kept, so the 6-character
check of ``raw_baci_flows`` / ``raw_product_codes`` refuses it by name instead of a silent cut
(``lpad(k, 6)`` once turned ``2709001`` into ``270900``).
"""

import duckdb
import polars as pl

from tcd_pipeline.core.codes import normalise_product_codes
from tcd_pipeline.gates import load_suite, validate_sql
from tcd_pipeline.warehouse.sql import load_sql

CODES = ["10110", "010110", " 271111", "2709001", "2709", "9999AA"]
AS_READ = ["010110", "010110", "271111", "2709001", "2709", "9999AA"]


def test_product_list_keeps_codes_as_written():
    frame = pl.DataFrame({"code": CODES, "description": ["d"] * len(CODES)})
    assert normalise_product_codes(frame)["code"].to_list() == AS_READ


def test_baci_flows_keep_k_as_written_and_the_gate_names_the_bad_codes(tmp_path):
    lines = ["t,i,j,k,v,q"] + [f"2002,4,{8 + n},{k.strip()},1.5,NA" for n, k in enumerate(CODES)]
    path = tmp_path / "BACI_HS92_Y2002_V202401b.csv"
    path.write_text("\n".join(lines) + "\n")
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    con.execute(load_sql("ingest/raw/baci_flows.ddl"))
    con.execute(load_sql("ingest/raw/baci_flows"), {"path": str(path), "year": 2002})
    assert [k for (k,) in con.execute("SELECT k FROM raw.baci_flows ORDER BY j").fetchall()] == AS_READ
    regex = next(e for e in load_suite("raw_baci_flows")["expectations"]
                 if e["type"] == "expect_column_values_to_match_regex")
    outcome = validate_sql(con, {"name": "k", "expectations": [regex]}, "raw.baci_flows").outcomes[0]
    assert outcome.message.startswith(
        "k: 2 of 6 rows not matching '^[0-9]{4}[0-9A-Z]{2}$'; values '2709' (1 row), '2709001' (1 row); e.g. ")
