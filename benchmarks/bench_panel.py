"""Benchmark: a whole full-scale synthetic BACI panel, raw files to the published file, as ``make run`` does it.

The synthetic full-scale world (226 countries x about 5,000 HS92 codes, about 10 million flows a
year) is generated once for the span (default 1995-2023) into the work folder, outside the
repository, and reused. Each measurement is a fresh process under ``/usr/bin/time -v`` (wall time,
peak resident memory), in the same run:

- baseline: DuckDB reading every year's file once, one ``read_csv`` over the file list into a
  table of a fresh DuckDB file (the cost of touching the data at all);
- pipeline: ``python -m tcd_pipeline.run`` (``make run``'s code path: the planner, every Dagster
  run, the publication, the report) on an empty warehouse with the benchmark's own warehouse,
  published file, reports and Dagster instance (never the user's); the time of every run and of
  every step inside it is read back from that instance;
- optional incremental cases on the warehouse the full run left: ``--replace-year Y`` rewrites
  year Y's file with changed values and refreshes; ``--add-year`` adds the year after the span
  and refreshes. Each is compared with its floor, "ingest that year + rebuild what truly depends on
  it" (goal: within 1.5x): the case's own ingest of the year, start-up and planning, plus each step
  of the full run in the share that depends on the year (a per-year mart 1/N of its time, a
  per-period mart the periods ending on the year, spells, survival, tariffs, publication and report
  whole, TiVA nothing: ``floor_seconds``); and with the full run.

    python benchmarks/bench_panel.py [--first 1995] [--last 2023] [--workdir /tmp/tcd_panel]
                                     [--replace-year 2000] [--add-year] [--skip-baseline]

The published marts must pass every gate (the run fails loudly otherwise); their row counts are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import measure  # noqa: E402

BASELINE_SQL = "CREATE TABLE flows AS SELECT * FROM read_csv(?)"
VERSION = "V202401b"  # the release the generator writes


def baci_name(year: int) -> str:
    return f"BACI_HS92_Y{year}_{VERSION}.csv"


# --- child processes ----------------------------------------------------------------------------

def _baseline(db_path: str, *files: str) -> None:
    import duckdb

    with duckdb.connect(db_path) as con:
        con.execute(BASELINE_SQL, [list(files)])
        print(json.dumps({"rows": con.execute("SELECT count(*) FROM flows").fetchone()[0]}))


def _pipeline(inputs: str, warehouse: str, published: str, reports: str) -> None:
    """``make run`` (tcd_pipeline.run.main) on the benchmark's own files, then what its runs took."""
    import dagster as dg
    import duckdb

    from tcd_pipeline import config
    from tcd_pipeline import run as make_run

    started = time.time()
    code = make_run.main(["--input", inputs, "--warehouse", warehouse, "--published", published,
                          "--reports", reports])
    if code != 0:
        raise SystemExit(f"make run failed (exit {code}): see the lines above")
    runs = []
    with dg.DagsterInstance.from_config(str(config.instance_dir(warehouse))) as instance:
        records = instance.get_run_records(filters=dg.RunsFilter(created_after=_utc(started)), ascending=True)
        for record in records:
            run = record.dagster_run
            steps = {s.step_key: round(s.end_time - s.start_time, 2)
                     for s in instance.get_run_step_stats(run.run_id) if s.end_time and s.start_time}
            runs.append({"job": run.job_name, "partition": run.tags.get("dagster/partition", ""),
                         "status": run.status.value, "seconds": round(record.end_time - record.start_time, 2),
                         "steps": steps})
    with duckdb.connect(published, read_only=True) as con:
        marts = {t: con.execute(f'SELECT count(*) FROM marts."{t}"').fetchone()[0] for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1").fetchall()}
    print(json.dumps({"runs": runs, "marts": marts}))


def _utc(seconds: float):
    from datetime import datetime, timezone

    return datetime.fromtimestamp(seconds, tz=timezone.utc)


# --- the work folder ----------------------------------------------------------------------------

def generated(work: Path, first: int, last: int) -> Path:
    """The full-scale world for first..last+1 (the extra year is what --add-year adds), generated once."""
    folder = work / f"gen_{first}-{last + 1}"
    done = folder / "truth" / "parameters.json"
    if not done.exists():
        from tcd_pipeline.sample import generate_sample

        t0 = time.perf_counter()
        shutil.rmtree(folder, ignore_errors=True)
        generate_sample(folder, scale="full", years=range(first, last + 2), log=lambda m: print(m, flush=True))
        print(f"generated {first}-{last + 1} at full scale in {time.perf_counter() - t0:.0f} s", flush=True)
    return folder


def link_inputs(source: Path, inputs: Path, years: range) -> None:
    """An input folder of symbolic links to the generated files: every file except the BACI years outside ``years``."""
    shutil.rmtree(inputs, ignore_errors=True)
    baci_years = {baci_name(y) for y in years}
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if path.is_dir() or rel.parts[0] == "truth":
            continue
        if rel.parts[0] == "baci" and rel.name.startswith("BACI_") and rel.name not in baci_years:
            continue
        (inputs / rel).parent.mkdir(parents=True, exist_ok=True)
        (inputs / rel).symlink_to(path)


def rewrite_year(source: Path, target: Path) -> None:
    """Year file ``source`` written to ``target`` with one flow in ten changed (v x 1.1), the rest as published."""
    import duckdb

    target.unlink(missing_ok=True)
    with duckdb.connect() as con:
        con.execute(f"""
            COPY (SELECT t, i, j, k,
                         CASE WHEN hash(i, j, k) % 10 = 0 THEN CAST(round(CAST(v AS DOUBLE) * 1.1, 3) AS VARCHAR)
                              ELSE v END AS v, q
                  FROM read_csv(?, all_varchar = true, header = true))
            TO '{target}' (HEADER, DELIMITER ',')""", [str(source)])


# --- main -----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=1995)
    parser.add_argument("--last", type=int, default=2023)
    parser.add_argument("--workdir", default="/tmp/tcd_panel")
    parser.add_argument("--replace-year", type=int, help="then rewrite this year's file with changed values, refresh")
    parser.add_argument("--add-year", action="store_true", help="then add the year after the span, refresh")
    parser.add_argument("--skip-baseline", action="store_true", help="do not time the bare read (reuse nothing)")
    parser.add_argument("--label", default="", help="a name for this run's folder (e.g. before, after)")
    args = parser.parse_args()
    first, last = args.first, args.last
    span = range(first, last + 1)
    work = Path(args.workdir)
    source = generated(work, first, last)
    run_dir = work / f"run_{first}-{last}{'_' + args.label if args.label else ''}"
    shutil.rmtree(run_dir, ignore_errors=True)
    inputs = run_dir / "inputs"
    link_inputs(source, inputs, span)
    warehouse, published, reports = run_dir / "warehouse.duckdb", run_dir / "published" / "tcd.duckdb", run_dir / "reports"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_HOME", "TCD_"))}
    env["TCD_GROWTH_PERIODS"] = ",".join(f"{a}-{b}" for a, b in growth_periods(first, last))
    me = [sys.executable, __file__]
    files = [str(source / "baci" / baci_name(y)) for y in span]
    size_gb = sum(Path(f).stat().st_size for f in files) / 1e9

    def pipeline() -> dict:
        return measure([*me, "--pipeline", str(inputs), str(warehouse), str(published), str(reports)], env)

    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores; date "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average at start {os.getloadavg()[0]:.2f}; "
          f"span {first}-{last} ({len(span)} years, {size_gb:.1f} GB of CSV)", flush=True)
    base = None
    if not args.skip_baseline:
        db = run_dir / "baseline.duckdb"
        base = measure([*me, "--baseline", str(db), *files], env)
        db.unlink(missing_ok=True)
        print(f"baseline (read every year's file once): {base['seconds']:.1f} s (CPU {base['cpu_seconds']:.1f} s), "
              f"{base['rows']:,} rows, peak {base['peak_mb']:.0f} MB", flush=True)
    full = pipeline()
    if base is not None:  # the machine may be shared: the baseline again after the run, the mean of both is used
        again = measure([*me, "--baseline", str(db), *files], env)
        db.unlink(missing_ok=True)
        print(f"baseline again after the run: {again['seconds']:.1f} s (CPU {again['cpu_seconds']:.1f} s)")
        base = {**base, "seconds": (base["seconds"] + again["seconds"]) / 2,
                "cpu_seconds": (base["cpu_seconds"] + again["cpu_seconds"]) / 2}
    print_run("full run (empty warehouse -> published file)", full, base)
    print("published marts (all gates passed):")
    for table, rows in full["marts"].items():
        print(f"  marts.{table:<32} {rows:>12,} rows")

    if args.replace_year is not None:
        year = args.replace_year
        link = inputs / "baci" / baci_name(year)
        link.unlink()
        rewrite_year(source / "baci" / baci_name(year), link)
        case = pipeline()
        incremental(f"replace {year} (one flow in ten changed)", case, full, year, first, last, me, env, [str(link)])
    if args.add_year:
        year = last + 1
        (inputs / "baci" / baci_name(year)).symlink_to(source / "baci" / baci_name(year))
        case = pipeline()
        incremental(f"add {year}", case, full, year, first, last, me, env, [str(source / "baci" / baci_name(year))])
    print(f"load average at end {os.getloadavg()[0]:.2f}")


def job_label(run: dict) -> str:
    return f"{run['job']}[{run['partition']}]" if run["partition"] else run["job"]


def print_run(title: str, result: dict, base: dict | None) -> None:
    runs = result["runs"]
    in_runs = sum(r["seconds"] for r in runs)
    print(f"\n{title}: {result['seconds']:.1f} s wall, CPU {result['cpu_seconds']:.1f} s, peak RSS {result['peak_mb']:.0f} MB; "
          f"{len(runs)} runs {in_runs:.1f} s, outside runs (start-up, planning) {result['seconds'] - in_runs:.1f} s")
    ingest = [r for r in runs if r["job"] == "ingest_flows_job"]
    if ingest:
        secs = [r["seconds"] for r in ingest]
        print(f"  ingest_flows_job x{len(ingest)}: {sum(secs):.1f} s (first {secs[0]:.1f}, last {secs[-1]:.1f}, "
              f"min {min(secs):.1f}, max {max(secs):.1f})")
    print("| run | s | slowest steps (s) |")
    print("|---|---|---|")
    for r in runs:
        steps = sorted(r["steps"].items(), key=lambda kv: -kv[1])[:8 if r["job"] != "ingest_flows_job" else 3]
        print(f"| {job_label(r)} | {r['seconds']:.1f} | " + ", ".join(f"{k} {v:.1f}" for k, v in steps) + " |")
    if base:
        print(f"ratio pipeline / baseline (read every file once): {result['seconds']:.1f} / {base['seconds']:.1f} = "
              f"{result['seconds'] / base['seconds']:.2f} wall (goal <= 2.0); CPU {result['cpu_seconds']:.1f} / "
              f"{base['cpu_seconds']:.1f} = {result['cpu_seconds'] / base['cpu_seconds']:.2f}", flush=True)


# What a changed or added year Y truly requires of each step of the full run (docs/benchmarks.md, "Which marts
# depend on what"): a per-year step computes Y only (its cost in the floor: its full-run time / the years of the
# full run); a per-period step the periods with Y as an end; the spells, survival marts, publication and report
# depend on every year (their full-run time), and so, taken whole, do the tariff marts (their import weights are
# flows: small, and empty on the synthetic panel); the reference job, TiVA and services depend on no BACI year
# (nothing). PRODY/EXPY are per year while their fixed country set holds (the synthetic panel's does).
PER_YEAR = {"marts__rca", "marts__diversification", "marts__lall_shares", "marts__export_quality", "complexity",
            "marts__trade_openness", "marts__sector_region_shares", "marts__exports_by_sector",
            "marts__exports_by_region", "marts__prody", "marts__expy"}
MARGINS, GROWTH = {"marts__export_margins"}, {"marts__growth_by_sector", "marts__growth_by_region"}
WHOLE_JOBS = {"survival_job", "tariffs_job", "publish_job", "report_job"}
NO_BACI = {"marts__services_exports", "marts__services_growth"}


def growth_periods(first: int, last: int) -> list[tuple[int, int]]:
    """The benchmark's growth periods for a span first..last ($TCD_GROWTH_PERIODS of every run): first to the
    middle year, the middle year to last."""
    mid = (first + last) // 2
    return [(first, mid), (mid, last)] if last > first else []


def margin_periods(first: int, last: int, growth: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The margin periods the pipeline builds for a panel first..last with these growth periods (auto)."""
    import dataclasses

    from tcd_pipeline.defs.trade_outcomes.assets import margin_periods as chosen
    from tcd_pipeline.lib.resources import DiagnosticSettings

    settings = dataclasses.replace(DiagnosticSettings().resolved(), margin_periods=None, growth_periods=tuple(growth))
    return chosen(settings, list(range(first, last + 1)))


def floor_seconds(case: dict, full: dict, year: int, first: int, last: int) -> tuple[float, list[str]]:
    """The cost of "ingesting that year plus rebuilding what truly depends on it": the case's own ingest of the
    year, start-up and planning, and each needed job's overhead outside its steps; plus, from the full run of the
    same benchmark, each step's time times the share of it that depends on the year (PER_YEAR ... above)."""
    years = last - first + 1
    growth = growth_periods(first, last)  # the runs' setting: the same before and after the case
    margins_before, margins_after = margin_periods(first, last, growth), margin_periods(first, max(last, year), growth)

    def share(periods_before, periods_after) -> float:
        touched = [p for p in periods_after if year in p or p not in periods_before]
        return len(touched) / max(len(periods_before), 1)

    parts, total = [], 0.0
    ingest = sum(r["seconds"] for r in case["runs"] if r["job"] == "ingest_flows_job")
    outside = case["seconds"] - sum(r["seconds"] for r in case["runs"])
    total += ingest + outside
    parts.append(f"the year's ingest {ingest:.1f} (this run)")
    parts.append(f"start-up and planning {outside:.1f} (this run)")
    overheads = {r["job"]: r["seconds"] - sum(r["steps"].values()) for r in case["runs"]}
    for run in full["runs"]:
        if run["job"].startswith("ingest") or run["job"] == "tiva_job":
            continue
        needed = 0.0
        for step, seconds in run["steps"].items():
            if run["job"] in WHOLE_JOBS:
                needed += seconds
            elif step in PER_YEAR:
                needed += seconds / years
            elif step in MARGINS:
                needed += seconds * share(margins_before, margins_after)
            elif step in GROWTH:
                needed += seconds * share(growth, growth)
            elif step not in NO_BACI:
                raise SystemExit(f"bench_panel: step {step} of {run['job']} has no dependency class: add it above")
        overhead = max(overheads.get(run["job"], 0.0), 0.0)
        total += needed + overhead
        parts.append(f"{run['job']} {needed:.1f} + run overhead {overhead:.1f}")
    return total, parts


def incremental(title: str, case: dict, full: dict, year: int, first: int, last: int, me: list[str], env: dict,
                files: list[str]) -> None:
    """The refresh after one year changed, against the floor "ingest that year + rebuild what truly depends on it"
    (:func:`floor_seconds`, goal: within 1.5x), against the bare read of that year's file, and the full run."""
    print_run(f"incremental: {title}", case, None)
    runs = case["runs"]
    ingest = sum(r["seconds"] for r in runs if r["job"].startswith("ingest"))
    downstream = sum(r["seconds"] for r in runs if not r["job"].startswith("ingest"))
    db = Path(files[0]).parent.parent.parent / "baseline_year.duckdb"
    bare = measure([*me, "--baseline", str(db), *files], env)
    db.unlink(missing_ok=True)
    print(f"  the year's ingest {ingest:.1f} s (bare read of its file {bare['seconds']:.1f} s, ratio "
          f"{ingest / bare['seconds']:.2f}); marts + publication + report {downstream:.1f} s "
          f"(full run: {sum(r['seconds'] for r in full['runs'] if not r['job'].startswith('ingest')):.1f} s)")
    floor, parts = floor_seconds(case, full, year, first, last)
    print(f"  floor, the year's ingest + what truly depends on it: {floor:.1f} s = " + "; ".join(parts))
    print(f"  ratio incremental / floor: {case['seconds']:.1f} / {floor:.1f} = {case['seconds'] / floor:.2f} "
          f"(goal <= 1.5)")
    print(f"  incremental / full run: {case['seconds']:.1f} / {full['seconds']:.1f} = "
          f"{case['seconds'] / full['seconds']:.2f}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--baseline":
        _baseline(*sys.argv[2:])
    elif len(sys.argv) == 6 and sys.argv[1] == "--pipeline":
        _pipeline(*sys.argv[2:])
    else:
        main()
