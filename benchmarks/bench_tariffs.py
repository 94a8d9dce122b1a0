"""Benchmark: the tariff marts on a full-scale year.

Input, generated once into the work folder (never the repository):

- one full-scale synthetic BACI year ``t - 1`` (226 countries x 5,037 HS92 codes, about 10 million rows,
  ``generate_sample(scale="full")``): the import weights, loaded into ``clean.flows`` of a DuckDB file as the
  ingest writes it (ISO3 codes, ``v x 1000`` USD);
- synthetic MFN schedules in the TRAINS bulk layout for ``t - 1`` and ``t`` (``sample.tariffs.write_tariffs``
  on every country of the full scale with an M49 code and every HS92 code: about 1.1 million rows a year),
  read with the pipeline's reader (``sources.tariffs.read_tariffs``) into ``raw.tariffs``.

Each measurement is a fresh process under ``/usr/bin/time -v`` (wall time, peak resident memory), on a copy
of that warehouse:

- **baseline**: DuckDB reads the two schedule files (``read_csv``) and the year's flows once: one GROUP BY of
  the schedules by reporter x year and one of ``clean.flows`` by importer x hs6 (what the marts must at least
  scan);
- **reader**: ``read_tariffs`` of the two schedule files (what ``raw/tariffs`` reads, before its gate);
- **marts**: ``marts.tariff_averages`` and ``marts.tariff_changes`` (period t - 1 to t) built by the assets'
  builders in one transaction, then every gate of both marts (structural expectations, plausibility bounds,
  SQL checks), as ``tariffs_job`` runs them without Dagster's start-up.

    python benchmarks/bench_tariffs.py [--year 2010] [--repeat 3] [--workdir /tmp/tcd_bench_tariffs]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import measure  # noqa: E402

FLOWS_SQL = """
CREATE SCHEMA IF NOT EXISTS clean;
CREATE OR REPLACE TABLE clean.flows AS
SELECT CAST(f.t AS SMALLINT) AS year, e.country_iso3 AS exporter, i.country_iso3 AS importer, f.k AS hs6,
       round(f.v * 1000) AS value_usd, try_cast(trim(CAST(f.q AS VARCHAR)) AS DOUBLE) AS quantity_t
FROM read_csv(?, types = {'k': 'VARCHAR'}) AS f
JOIN read_csv(?, types = {'country_code': 'INTEGER'}) AS e ON e.country_code = f.i
JOIN read_csv(?, types = {'country_code': 'INTEGER'}) AS i ON i.country_code = f.j
"""
BASELINE_SQL = [
    "SELECT Reporter_ISO_N, Year, count(*), avg(SimpleAverage), sum(TotalNoOfLines) "
    "FROM read_csv(?, types = {'ProductCode': 'VARCHAR'}) GROUP BY ALL",
    "SELECT importer, hs6, sum(value_usd) FROM clean.flows WHERE year = ? GROUP BY ALL",
]


def _baseline(db: str, files: str, year: str) -> None:
    import duckdb

    with duckdb.connect(db) as con:
        schedules = con.execute(BASELINE_SQL[0], [files.split(",")]).fetchall()
        weights = con.execute(BASELINE_SQL[1], [int(year) - 1]).fetchall()
    print(json.dumps({"schedule_groups": len(schedules), "weight_rows": len(weights)}))


def _reader(files: str) -> None:
    from tcd_pipeline.sources.tariffs import read_tariffs

    rows = sum(read_tariffs(Path(f)).height for f in files.split(","))
    print(json.dumps({"rows": rows}))


def _marts(db: str, year: str) -> None:
    from dataclasses import replace

    import duckdb

    from tcd_pipeline.defs.tariffs.assets import build_tariff_averages, build_tariff_changes
    from tcd_pipeline.lib.gated import evaluate_gate, suites_for
    from tcd_pipeline.lib.resources import DiagnosticSettings
    from tcd_pipeline.warehouse.sql import atomic

    class Log:
        def info(self, message: str) -> None:
            pass

    t = int(year)
    settings = replace(DiagnosticSettings().resolved(), growth_periods=((t - 1, t),), event_year=t)
    seconds = {}
    with duckdb.connect(db) as con, atomic(con):  # one transaction, as gated_build's
        started = time.perf_counter()
        rows = {"tariff_averages": build_tariff_averages(con, settings, Log())}
        seconds["tariff_averages"] = time.perf_counter() - started
        started = time.perf_counter()
        rows["tariff_changes"] = build_tariff_changes(con, settings, Log())
        seconds["tariff_changes"] = time.perf_counter() - started
        started = time.perf_counter()
        verdicts = [evaluate_gate(con, suite, "sql", "", "bench") for key in ("marts/tariff_averages",
                                                                              "marts/tariff_changes")
                    for suite in suites_for(key)]
        seconds["gates"] = time.perf_counter() - started
    failed = [v.description for v in verdicts if not v.passed]
    if failed:
        raise SystemExit("gate failed: " + "; ".join(failed))
    print(json.dumps({"rows": rows, "steps": {k: round(v, 2) for k, v in seconds.items()}}))


def _prepare(work: Path, year: int) -> tuple[Path, list[Path]]:
    """The warehouse with clean.flows of year - 1 and raw.tariffs of year - 1 and year; the schedule files."""
    import duckdb
    import polars as pl

    from tcd_pipeline.sample import generate_sample
    from tcd_pipeline.sample.tariffs import write_tariffs
    from tcd_pipeline.sample.world import SCALES, load_countries, load_products
    from tcd_pipeline.sources.tariffs import read_tariffs

    inputs, db = work / "inputs", work / "prepared.duckdb"
    baci = inputs / "baci" / f"BACI_HS92_Y{year - 1}_V202401b.csv"
    if not baci.exists():
        t0 = time.perf_counter()
        shutil.rmtree(inputs, ignore_errors=True)
        generate_sample(inputs, scale="full", years=[year - 1])
        print(f"generated the full-scale BACI year {year - 1} in {time.perf_counter() - t0:.0f} s", flush=True)
    full = SCALES["full"]
    files = sorted((inputs / "tariffs").rglob("*.CSV"))
    if len(files) != 2:
        t0 = time.perf_counter()
        files = write_tariffs(inputs, years=[year - 1, year], scale="full", event_year=year,
                              products=list(load_products(full).code), reporters=list(load_countries(full).iso3))
        print(f"wrote the full-scale schedules in {time.perf_counter() - t0:.0f} s", flush=True)
    if not db.exists():
        codes = inputs / "baci" / "country_codes_V202401b.csv"
        with duckdb.connect(str(db)) as con:
            con.execute(FLOWS_SQL, [str(baci), str(codes), str(codes)])
            frame = pl.concat([read_tariffs(f) for f in files])  # noqa: F841 (read by DuckDB)
            con.execute("CREATE SCHEMA raw; CREATE TABLE raw.tariffs AS SELECT * FROM frame")
    return db, files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2010)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", default="/tmp/tcd_bench_tariffs")
    args = parser.parse_args()
    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    prepared, files = _prepare(work, args.year)
    joined = ",".join(map(str, files))
    me = [sys.executable, __file__]
    results: dict[str, list[dict]] = {"baseline": [], "reader": [], "marts": []}
    for i in range(args.repeat):
        for name in results:
            db = work / f"run_{name}.duckdb"  # not marts.duckdb: the catalog would shadow the schema marts
            shutil.copyfile(prepared, db)
            command = {"baseline": ["--baseline", str(db), joined, str(args.year)], "reader": ["--reader", joined],
                       "marts": ["--marts", str(db), str(args.year)]}[name]
            results[name].append(measure([*me, *command]))
            print(f"run {i + 1} {name}: {results[name][-1]}", flush=True)
            db.unlink()

    def med(name: str, key: str = "seconds") -> float:
        return statistics.median(r[key] for r in results[name])

    import duckdb

    with duckdb.connect(str(prepared), read_only=True) as con:
        flows = con.execute("SELECT count(*) FROM clean.flows").fetchone()[0]
        tariffs = con.execute("SELECT count(*), count(DISTINCT iso3) FROM raw.tariffs").fetchone()
    print()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()}; "
          f"date {time.strftime('%Y-%m-%d %H:%M')}; clean.flows {flows:,} rows ({args.year - 1}); raw.tariffs "
          f"{tariffs[0]:,} rows, {tariffs[1]} reporters, {args.year - 1}-{args.year}")
    print("| what | median wall s | max peak RSS MB |")
    print("|---|---|---|")
    for name in results:
        print(f"| {name} | {med(name):.1f} | {max(r['peak_mb'] for r in results[name]):.0f} |")
    print(f"ratio marts / baseline: {med('marts') / med('baseline'):.2f}; marts steps (last run): "
          f"{results['marts'][-1]['steps']}; rows: {results['marts'][-1]['rows']}")


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--baseline":
        _baseline(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) == 3 and sys.argv[1] == "--reader":
        _reader(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "--marts":
        _marts(sys.argv[2], sys.argv[3])
    else:
        main()
