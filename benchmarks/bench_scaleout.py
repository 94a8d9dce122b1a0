"""Benchmark: the per-year steps as independent processes writing partitioned Parquet, merged by one mart step.

A measured simulation of the scale-out path of ``docs/scaling.md`` on one machine: no shared
DuckDB file, so no single writer. Each BACI year of the panel that ``bench_panel.py`` generated
is one worker process (``--jobs`` at a time, as an executor would fan out year partitions): it
loads the file with the project's own reader and statement (``sql/ingest/raw/baci_flows.sql``),
runs the year's raw gate (``expectations/ingest/raw_baci_flows.json`` and its SQL checks, the
same SQL engine) and writes the year as a Hive partition ``raw_baci_flows/year=Y/``. The mart
step then reads every partition once and builds the exporter x HS6 totals of every year (the
shared input of RCA, the Lall shares, PRODY, EXPY and ECI/PCI). Each process is measured under
``/usr/bin/time -v``; the baseline is DuckDB reading every year's file once, as in ``bench_panel.py``.

    python benchmarks/bench_scaleout.py [--first 2000] [--last 2004] [--jobs 2] [--workdir /tmp/tcd_panel]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_panel import baci_name, generated  # noqa: E402
from common import measure  # noqa: E402

MERGE_SQL = """
CREATE TABLE exports_by_product AS
SELECT year, i AS exporter, k AS hs6, sum(v) * 1000 AS value_usd
FROM read_parquet(?, hive_partitioning = true)
GROUP BY ALL
"""


def _worker(inputs: str, year: str, out: str) -> None:
    """One year: load, gate, write its Parquet partition; prints rows, gate verdict and seconds."""
    import duckdb

    from tcd_pipeline.gates import validate_sql
    from tcd_pipeline.lib.gated import run_sql_checks, suites_for
    from tcd_pipeline.lib.resources import RawInputs
    from tcd_pipeline.sources.readers import load_baci_flows, read_country_codes, read_product_codes
    from tcd_pipeline.warehouse.sql import load_sql

    started = time.perf_counter()
    inv = RawInputs(directory=inputs).inventory()
    con = duckdb.connect()
    con.execute("CREATE SCHEMA raw")
    for table, frame in (("country_codes", read_country_codes(inv.country_codes)),
                         ("product_codes", read_product_codes(inv.product_codes))):
        con.register("f", frame)
        con.execute(f"CREATE TABLE raw.{table} AS SELECT * FROM f")
        con.unregister("f")
    con.execute(load_sql("ingest/raw/baci_flows.ddl"))
    load_baci_flows(con, inv.baci_file(int(year)), int(year))
    loaded = time.perf_counter()
    suite = suites_for("raw/baci_flows")[0]
    result = validate_sql(con, suite, "raw.baci_flows", where="year = ?", where_params=[int(year)],
                          parameters={n: load_sql(f) for n, f in suite["meta"]["parameters"].items()})
    failures = run_sql_checks(con, suite["meta"]["sql_checks"], int(year))
    gated = time.perf_counter()
    target = Path(out) / f"year={year}"
    target.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY (SELECT * EXCLUDE (year) FROM raw.baci_flows) TO '{target / 'data.parquet'}' (FORMAT parquet)")
    rows = con.execute("SELECT count(*) FROM raw.baci_flows").fetchone()[0]
    print(json.dumps({"rows": rows, "passed": result.success and not failures, "load": loaded - started,
                      "gate": gated - loaded, "write": time.perf_counter() - gated}))


def _merge(out: str, db: str) -> None:
    import duckdb

    with duckdb.connect(db) as con:
        started = time.perf_counter()
        con.execute(MERGE_SQL, [f"{out}/*/*.parquet"])
        print(json.dumps({"rows": con.execute("SELECT count(*) FROM exports_by_product").fetchone()[0],
                          "core": time.perf_counter() - started}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=2000)
    parser.add_argument("--last", type=int, default=2004)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--workdir", default="/tmp/tcd_panel")
    args = parser.parse_args()
    work = Path(args.workdir)
    source = generated(work, args.first, args.last)
    run_dir = work / f"scaleout_{args.first}-{args.last}"
    shutil.rmtree(run_dir, ignore_errors=True)
    out = run_dir / "raw_baci_flows"
    out.mkdir(parents=True)
    inputs = run_dir / "inputs"
    from bench_panel import link_inputs

    years = range(args.first, args.last + 1)
    link_inputs(source, inputs, years)
    me = [sys.executable, __file__]
    print(f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.2f}; years {args.first}-{args.last}; "
          f"{args.jobs} worker(s) at a time", flush=True)
    base = measure([sys.executable, str(Path(__file__).parent / "bench_panel.py"), "--baseline",
                    str(run_dir / "baseline.duckdb"), *[str(source / "baci" / baci_name(y)) for y in years]])
    (run_dir / "baseline.duckdb").unlink(missing_ok=True)
    print(f"baseline (read every year's file once, one process): {base['seconds']:.1f} s", flush=True)
    started = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        workers = list(pool.map(lambda y: measure([*me, "--worker", str(inputs), str(y), str(out)]), years))
    fan_out = time.perf_counter() - started
    merge = measure([*me, "--merge", str(out), str(run_dir / "merged.duckdb")])
    for year, w in zip(years, workers):
        print(f"  worker {year}: {w['seconds']:.1f} s (load {w['load']:.1f}, gate {w['gate']:.1f}, "
              f"Parquet {w['write']:.1f}), {w['rows']:,} rows, gate {'passed' if w['passed'] else 'FAILED'}, "
              f"peak {w['peak_mb']:.0f} MB")
    print(f"fan-out: {len(workers)} workers, {args.jobs} at a time: {fan_out:.1f} s wall "
          f"(sum of workers {sum(w['seconds'] for w in workers):.1f} s)")
    print(f"mart step (exporter x hs6 totals of every year from the partitions): {merge['seconds']:.1f} s, "
          f"{merge['rows']:,} rows, peak {merge['peak_mb']:.0f} MB")
    total = fan_out + merge["seconds"]
    print(f"fan-out + mart step / baseline: {total:.1f} / {base['seconds']:.1f} = {total / base['seconds']:.2f}; "
          f"load average at end {os.getloadavg()[0]:.2f}")
    if not all(w["passed"] for w in workers):
        raise SystemExit("a year failed its raw gate")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        _worker(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "--merge":
        _merge(*sys.argv[2:])
    else:
        main()
