"""Benchmark: where one BACI year's ingest spends its time, statement by statement, against one bare read.

The floor of the gated two-layer ingest (raw load, raw gate, clean insert, clean gate, all in the
transactions ``ingest_flows_job`` uses) measured against DuckDB reading the same file into a table
once, in the same process and warehouse file, ``--repeat`` times (medians). Each gate is also timed
again after the commit: the pipeline gates rows before they are committed (a failed gate commits
nothing), and DuckDB scans a transaction's own uncommitted rows on one thread, so that second
figure is what the same checks cost on committed rows, not an option of the pipeline.

Input: a ``bench_panel.py`` run folder (its inputs and warehouse: the code lists, countries and
products the gates read); the benchmark works on a copy of the reference tables in its own file.

    python benchmarks/bench_ingest_steps.py --panel /tmp/tcd_panel/run_2000-2004_quiet_after2 [--year 2002] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import duckdb

from tcd_pipeline.lib.gated import evaluate_gate, suites_for
from tcd_pipeline.warehouse.sql import load_sql

REFERENCE = ("clean.countries", "raw.country_codes", "raw.product_codes", "clean.products")


def timed(seconds: dict, label: str, run) -> None:
    started = time.perf_counter()
    run()
    seconds.setdefault(label, []).append(time.perf_counter() - started)


def gate(con, key: str, year: int) -> None:
    suite, = suites_for(key)
    verdict = evaluate_gate(con, suite, "sql", str(year), "")  # the suite and its SQL checks, as the asset runs them
    if not verdict.passed:
        raise SystemExit(f"{key} {year}: the gate failed on the benchmark's input: {verdict.description}")


def one_round(db: Path, source: Path, csv: Path, year: int, seconds: dict) -> int:
    db.unlink(missing_ok=True)
    with duckdb.connect(str(db)) as con:
        con.execute(f"ATTACH '{source}' AS src (READ_ONLY)")
        for schema in ("raw", "clean", "meta"):
            con.execute(f"CREATE SCHEMA {schema}")
        for table in REFERENCE:
            con.execute(f"CREATE TABLE {table} AS SELECT * FROM src.{table}")
        con.execute("DETACH src")
        timed(seconds, "baseline: read_csv of the file into a table", lambda: con.execute(
            "CREATE TABLE bare AS SELECT * FROM read_csv(?)", [str(csv)]))
        con.execute("DROP TABLE bare")
        con.execute(load_sql("ingest/raw/baci_flows.ddl"))
        con.execute(load_sql("ingest/clean/flows.ddl"))
        con.execute("BEGIN")
        timed(seconds, "raw load (typed read_csv, INSERT)", lambda: con.execute(
            load_sql("ingest/raw/baci_flows"), {"year": year, "path": str(csv)}))
        timed(seconds, "raw gate (suite + SQL checks), uncommitted rows", lambda: gate(con, "raw/baci_flows", year))
        con.execute("COMMIT")
        con.execute("BEGIN")
        shared = con.execute(load_sql("ingest/clean/flows_shared_iso3"), {"year": year}).fetchall()
        timed(seconds, "clean INSERT (joins to ISO3)", lambda: con.execute(
            load_sql("ingest/clean/flows" if shared else "ingest/clean/flows_one_to_one"), {"year": year}))
        timed(seconds, "clean gate (suite + SQL checks), uncommitted rows", lambda: gate(con, "clean/flows", year))
        con.execute("COMMIT")
        timed(seconds, "  for comparison: raw gate on committed rows", lambda: gate(con, "raw/baci_flows", year))
        timed(seconds, "  for comparison: clean gate on committed rows", lambda: gate(con, "clean/flows", year))
        return con.execute("SELECT count(*) FROM clean.flows").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panel", required=True, help="a bench_panel.py run folder (inputs/, warehouse.duckdb)")
    parser.add_argument("--year", type=int, default=2002)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    panel = Path(args.panel)
    csv, = (panel / "inputs" / "baci").glob(f"BACI_*_Y{args.year}_*.csv")
    db = panel.parent / "ingest_steps.duckdb"
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average {os.getloadavg()[0]:.2f}; "
          f"DuckDB {duckdb.__version__}; {csv.name} ({csv.stat().st_size / 1e6:,.0f} MB)", flush=True)
    seconds: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        rows = one_round(db, panel / "warehouse.duckdb", csv, args.year, seconds)
    db.unlink(missing_ok=True)
    median = {label: statistics.median(values) for label, values in seconds.items()}
    base = median["baseline: read_csv of the file into a table"]
    pipeline = sum(v for label, v in median.items() if not label.startswith(("baseline", " ")))
    print(f"\n{rows:,} clean rows; medians of {args.repeat}\n\n| step | s | x the bare read |\n|---|---|---|")
    for label, value in median.items():
        print(f"| {label} | {value:.2f} | {value / base:.2f} |")
    print(f"| the four steps of the ingest | {pipeline:.2f} | {pipeline / base:.2f} |")
    print(f"\nverdict: the statements of one year's gated ingest (raw load + gate, clean + gate) cost "
          f"{pipeline / base:.2f}x reading the file once into a table (Dagster's run bookkeeping not included)")


if __name__ == "__main__":
    sys.exit(main())
