"""Benchmark: ingest and clean one full-scale synthetic BACI year (about 10 million rows).

Compares like with like, in the same run and on the same file, each in a fresh process measured
with ``/usr/bin/time -v`` (wall time and peak resident memory):

- baseline: DuckDB's own ``read_csv`` of the file plus one GROUP BY on the flow key, into a
  table of a fresh DuckDB file (the statement's time, measured inside the process);
- ingest: the year's ``ingest_flows_job`` run (raw load, raw gate, clean, clean gate, manifest,
  Dagster's run bookkeeping), as ``tcd_pipeline.refresh`` executes it on a fresh warehouse.

The ratio is ingest / baseline. The same refresh goes on to the reference job, the marts, the
publication and the report (the benchmark's own published file and reports, never the user's):
those runs and the whole process's wall time are printed on separate lines, not in the ratio.

    python benchmarks/bench_ingest.py [--year 2005] [--repeat 3] [--workdir /tmp/tcd_bench]

The full-scale input is generated once into the work folder (not the repository).
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

BASELINE_SQL = """
CREATE TABLE flows AS
SELECT t, i, j, k, sum(v) AS v, max(q) AS q  -- q is text: BACI pads "NA"
FROM read_csv(?)
GROUP BY t, i, j, k
"""


def _baseline(csv_path: str, db_path: str) -> None:
    import duckdb

    with duckdb.connect(db_path) as con:
        started = time.perf_counter()
        con.execute(BASELINE_SQL, [csv_path])
        seconds = time.perf_counter() - started
        print(json.dumps({"rows": con.execute("SELECT count(*) FROM flows").fetchone()[0], "core": seconds}))


def _pipeline(input_dir: str, db_path: str, year: str) -> None:
    import dagster as dg

    from tcd_pipeline.definitions import build_definitions
    from tcd_pipeline.lib.resources import PublishedMarts, RawInputs, Warehouse
    from tcd_pipeline.refresh import refresh

    work = Path(db_path).parent  # the benchmark's own published file and reports, never the user's
    defs = build_definitions(Warehouse(database=db_path), RawInputs(directory=input_dir),
                             published_marts=PublishedMarts(path=str(work / "published.duckdb"),
                                                            reports=str(work / "reports")))
    lines: list[str] = []
    report = refresh(defs, dg.DagsterInstance.ephemeral(), log=lines.append, log_level="WARNING")
    if not report.success:
        raise SystemExit("pipeline failed: " + "; ".join(report.problems))
    steps = {f"{r.job}[{r.partition}]" if r.partition else r.job: round(r.seconds, 2) for r in report.runs}
    print(json.dumps({"runs": steps, "core": steps[f"ingest_flows_job[{year}]"]}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2005)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", default="/tmp/tcd_bench")
    args = parser.parse_args()

    work = Path(args.workdir)
    inputs = work / "inputs"
    csv_path = inputs / "baci" / f"BACI_HS92_Y{args.year}_V202401b.csv"
    if not csv_path.exists():
        from tcd_pipeline.sample import generate_sample

        t0 = time.perf_counter()
        shutil.rmtree(inputs, ignore_errors=True)
        generate_sample(inputs, scale="full", years=[args.year])
        print(f"generated full-scale year {args.year} in {time.perf_counter() - t0:.0f} s")
    size_mb = csv_path.stat().st_size / 1e6
    me = [sys.executable, __file__]
    results: dict[str, list[dict]] = {"baseline": [], "pipeline": []}
    extra = [str(args.year)]
    for i in range(args.repeat):
        for name in results:
            db = work / f"{name}.duckdb"
            for leftover in (db, Path(f"{db}.wal")):
                leftover.unlink(missing_ok=True)
            target = str(csv_path) if name == "baseline" else str(inputs)
            results[name].append(measure([*me, f"--{name}", target, str(db), *(extra if name == "pipeline" else [])]))
            print(f"run {i + 1} {name}: {results[name][-1]}", flush=True)

    def med(name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[name])

    rows = results["baseline"][0]["rows"]
    ratio = med("pipeline", "core") / med("baseline", "core")
    print()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores; load average "
          f"{os.getloadavg()[0]:.2f}; date {time.strftime('%Y-%m-%d')}; file {csv_path.name}: {rows:,} rows, "
          f"{size_mb:.0f} MB")
    print("| what | median s | max peak RSS MB (its process) |")
    print("|---|---|---|")
    print(f"| baseline: read_csv + GROUP BY (t, i, j, k) into a fresh file | {med('baseline', 'core'):.1f} | "
          f"{max(r['peak_mb'] for r in results['baseline']):.0f} |")
    print(f"| ingest: ingest_flows_job[{args.year}] run (raw, clean, gates) | {med('pipeline', 'core'):.1f} | "
          f"{max(r['peak_mb'] for r in results['pipeline']):.0f} |")
    print(f"ratio ingest of one year / bare read of its file: {ratio:.2f} (target <= 2.0)")
    print("not in the ratio (the rest of the same refresh, last repeat):")
    for job, seconds in results["pipeline"][-1]["runs"].items():
        if job != f"ingest_flows_job[{args.year}]":
            print(f"  {job}: {seconds:.1f} s")
    print(f"  whole refresh process (start-up, planning, every run): {med('pipeline', 'seconds'):.1f} s median wall; "
          f"baseline process {med('baseline', 'seconds'):.1f} s")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--baseline":
        _baseline(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "--pipeline":
        _pipeline(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
