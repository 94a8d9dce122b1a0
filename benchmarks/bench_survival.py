"""Benchmark: the survival job (spells + survival marts, with their gates) on a full-scale panel.

Input: ``tcd_pipeline.sample`` at ``scale="full"`` (226 countries x 5,037 HS92 codes, about 10
million flows a year), 2000-2018 by default, ingested once by the pipeline's own jobs
(``ingest_reference_job``, ``ingest_flows_job`` for each year) into ``<workdir>/warehouse.duckdb``.
Each measurement is a fresh process under ``/usr/bin/time -v`` (wall time, peak resident
memory), DuckDB limited to the same ``--memory-limit`` in (a) and (b):

- (a) baseline: DuckDB scans ``clean.flows`` once with a window over the spell keys,
  ``SELECT count(*) FROM (SELECT year - row_number() OVER (PARTITION BY exporter, hs6, importer
  ORDER BY year) FROM clean.flows)``;
- (b) ours: ``survival_job`` of the real definitions, executed in process: ``spells/export_spells``,
  ``spells/product_spells``, ``spells/survival_counts`` and the three survival marts, each with its
  gate (the whole process counts: Python start-up, Dagster, every step);
- (c) lifelines, the same work from the same spell table: the spells of each group read from
  DuckDB, ``KaplanMeierFitter().fit`` per group of the four group types of the marts, and every
  log-rank test of ``marts.survival_logrank`` (``logrank_test`` per pair,
  ``multivariate_logrank_test`` per multi-group test); ``--lifelines-max-tests`` runs a random
  subset of the pairwise tests and extrapolates their time. Every curve and test is compared with
  the marts (largest absolute difference).

    python benchmarks/bench_survival.py [--years 2000-2018] [--repeat 3] [--workdir /tmp/tcd_survival_bench]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import measure  # noqa: E402

BASELINE_SQL = (
    "SELECT count(*) FROM (SELECT year - row_number() OVER (PARTITION BY exporter, hs6, importer ORDER BY year) "
    "AS island FROM clean.flows)"
)


def _definitions(inputs: str, db: str, memory_limit: str):
    from tcd_pipeline.definitions import build_definitions
    from tcd_pipeline.lib.resources import PublishedMarts, RawInputs, Warehouse

    work = Path(db).parent
    return build_definitions(Warehouse(database=db, memory_limit=memory_limit), RawInputs(directory=inputs),
                             published_marts=PublishedMarts(path=str(work / "published.duckdb"),
                                                            reports=str(work / "reports")))


def _execute(defs, instance, job: str, partition: str | None = None) -> dict[str, float]:
    """Run one job in process; seconds per step (from the run's events)."""
    result = defs.resolve_job_def(job).execute_in_process(
        instance=instance, partition_key=partition, raise_on_error=False,
        run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}})
    failures = [e.message for e in result.all_events if e.is_failure or e.event_type_value == "ASSET_CHECK_EVALUATION"
                and not e.event_specific_data.passed]
    if not result.success or failures:
        raise SystemExit(f"{job} {partition or ''} failed: {failures[:3]}")
    return {e.step_key: e.event_specific_data.duration_ms / 1000 for e in result.all_events
            if e.event_type_value == "STEP_SUCCESS"}


def _prepare(inputs: str, db: str, memory_limit: str) -> None:
    import dagster as dg

    defs = _definitions(inputs, db, memory_limit)
    instance = dg.DagsterInstance.ephemeral()
    years = sorted(defs.resources["raw_inputs"].inventory().baci_years)
    instance.add_dynamic_partitions("baci_year", [str(y) for y in years])
    t0 = time.perf_counter()
    _execute(defs, instance, "ingest_reference_job")
    for year in years:
        _execute(defs, instance, "ingest_flows_job", str(year))
        print(f"ingested {year} ({time.perf_counter() - t0:.0f} s)", flush=True)
    import duckdb

    with duckdb.connect(db, read_only=True) as con:
        print(json.dumps({"rows": con.execute("SELECT count(*) FROM clean.flows").fetchone()[0]}))


def _baseline(db: str, memory_limit: str) -> None:
    import duckdb

    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", memory_limit):
        raise SystemExit(f"--memory-limit must look like 6GB, got {memory_limit!r}")
    con = duckdb.connect(db, read_only=True)
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{memory_limit}'")  # SET takes no bound parameter; checked above
    t0 = time.perf_counter()
    rows = con.execute(BASELINE_SQL).fetchone()[0]
    print(json.dumps({"rows": rows, "phases": {"window scan": time.perf_counter() - t0}}))


def _ours(inputs: str, db: str, memory_limit: str) -> None:
    import dagster as dg
    import duckdb

    defs = _definitions(inputs, db, memory_limit)
    steps = _execute(defs, dg.DagsterInstance.ephemeral(), "survival_job")
    with duckdb.connect(db, read_only=True) as con:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("spells.export_spells", "spells.product_spells", "spells.survival_counts",
                            "marts.survival_curves", "marts.survival_logrank")}
        groups = dict(con.execute("SELECT group_type, count(DISTINCT group_name) FROM marts.survival_curves "
                                  "GROUP BY ALL").fetchall())
        tests = dict(con.execute("SELECT test, count(*) FROM marts.survival_logrank GROUP BY ALL").fetchall())
    print(json.dumps({"rows": counts["spells.export_spells"], "tables": counts, "groups": groups, "tests": tests,
                      "phases": steps}))


def _lifelines(inputs: str, db: str, memory_limit: str, max_tests: int) -> None:
    import duckdb
    import numpy as np
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import logrank_test, multivariate_logrank_test

    from tcd_pipeline.defs.survival.spells import GROUP_TYPES

    settings = _definitions(inputs, db, memory_limit).resources["settings"].resolved()
    con = duckdb.connect(db, read_only=True)
    t0 = time.perf_counter()
    spells = con.execute("SELECT exporter, sector, region, CASE WHEN first_year < $y THEN 'before' ELSE 'after' END "
                         "AS period, duration, event FROM spells.export_spells WHERE NOT left_censored",
                         {"y": settings.event_year}).pl()
    read_seconds = time.perf_counter() - t0
    curves = con.execute("SELECT group_type, group_name, survival, ci_lower, ci_upper FROM marts.survival_curves "
                         "ORDER BY group_type, group_name, t").pl().partition_by(["group_type", "group_name"], as_dict=True)
    marts_tests = {(r["test"], r["country"], r["group_a"], r["group_b"]): (r["statistic"], r["p_value"])
                   for r in con.execute("SELECT * FROM marts.survival_logrank").pl().iter_rows(named=True)}
    phases, worst, fitted = {"read spells (DuckDB -> polars)": read_seconds}, 0.0, 0
    kinds = {kind: list(by) for kind, by in GROUP_TYPES.items()}  # the marts' group types
    t0 = time.perf_counter()
    parts = {}
    for kind, by in kinds.items():
        parts[kind] = spells.select(*by, "duration", "event").partition_by(by, as_dict=True)
        for key, frame in parts[kind].items():
            kmf = KaplanMeierFitter().fit(frame["duration"].to_numpy(), frame["event"].to_numpy())
            mine = curves[(kind, " / ".join(map(str, key)))]
            ci = kmf.confidence_interval_.to_numpy()
            for a, b in ((mine["survival"], kmf.survival_function_.to_numpy()[:, 0]),
                         (mine["ci_lower"], ci[:, 0]), (mine["ci_upper"], ci[:, 1])):
                worst = max(worst, float(np.max(np.abs(a.to_numpy() - b))))
            fitted += 1
    phases["Kaplan-Meier fits"] = time.perf_counter() - t0

    def arrays(kind, key):
        frame = parts[kind][key]
        return frame["duration"].to_numpy(), frame["event"].to_numpy()

    def compare(mart_key, result) -> None:
        statistic, p_value = marts_tests[mart_key]
        worst_test[0] = max(worst_test[0], abs(statistic - result.test_statistic) / max(abs(result.test_statistic), 1e-300))
        worst_test[1] = max(worst_test[1], abs(p_value - result.p_value))

    worst_test = [0.0, 0.0]  # statistic: relative difference; p-value: absolute
    focus, comparators = settings.focus, [c for c in settings.comparators if c != settings.focus]
    present = {k[0] for k in parts["exporter"]}
    pairs = [("focus_vs_comparator", None, ("exporter", (focus,)), ("exporter", (c,))) for c in comparators
             if c in present and focus in present]
    regions_of: dict[str, list[str]] = {}
    for exporter, region in sorted(parts["exporter_region"]):
        regions_of.setdefault(exporter, []).append(region)
    for exporter, regions in regions_of.items():
        pairs += [("region_pair", exporter, ("exporter_region", (exporter, a)), ("exporter_region", (exporter, b)))
                  for a, b in itertools.combinations(regions, 2)]
    rng = np.random.default_rng(20261128)
    pick = sorted(rng.choice(len(pairs), min(max_tests, len(pairs)), replace=False)) if pairs else []
    t0 = time.perf_counter()
    for i in pick:
        test, exporter, (ka, a), (kb, b) = pairs[i]
        (da, ea), (db_, eb) = arrays(ka, a), arrays(kb, b)
        compare((test, exporter, a[-1], b[-1]), logrank_test(da, db_, ea, eb))
    phases["log-rank, pairs"] = (time.perf_counter() - t0) * len(pairs) / max(len(pick), 1)
    t0 = time.perf_counter()
    multi = []
    if focus in present:
        multi.append(("focus_and_comparators", None, "exporter",
                      [(c,) for c in [focus, *comparators] if c in present]))
    for exporter, regions in regions_of.items():
        multi.append(("regions", exporter, "exporter_region", [(exporter, r) for r in regions]))
    for exporter in sorted(present):
        multi.append(("before_after", exporter, "exporter_period",
                      [k for k in ((exporter, "before"), (exporter, "after")) if k in parts["exporter_period"]]))
    for test, exporter, kind, keys in multi:
        if len(keys) < 2:
            continue
        d = np.concatenate([arrays(kind, k)[0] for k in keys])
        e = np.concatenate([arrays(kind, k)[1] for k in keys])
        g = np.concatenate([np.full(len(arrays(kind, k)[0]), j) for j, k in enumerate(keys)])
        a, b = ("before", "after") if test == "before_after" else (None, None)
        compare((test, exporter, a, b), multivariate_logrank_test(d, g, e))
    phases["log-rank, multi-group"] = time.perf_counter() - t0
    print(json.dumps({"rows": fitted, "pairwise_tests": len(pairs), "pairwise_run": len(pick),
                      "multi_tests": sum(len(k) >= 2 for *_, k in multi), "max_abs_diff_curves": worst,
                      "max_rel_diff_statistics": worst_test[0], "max_abs_diff_p_values": worst_test[1], "phases": phases}))


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    import dagster
    import duckdb
    import lifelines
    import polars

    return (f"{platform.node()}: {os.cpu_count()} x {cpu}, {mem / 2**20:.0f} GB RAM; "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, polars {polars.__version__}, "
            f"dagster {dagster.__version__}, lifelines {lifelines.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", default="2000-2018")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", default="/tmp/tcd_survival_bench")
    parser.add_argument("--memory-limit", default="6GB")
    parser.add_argument("--lifelines-max-tests", type=int, default=2_000)
    args = parser.parse_args()
    first, last = (int(y) for y in args.years.split("-"))
    work = Path(args.workdir)
    inputs, db = work / "inputs", work / f"warehouse_{first}_{last}.duckdb"
    work.mkdir(parents=True, exist_ok=True)
    baci = inputs / "baci"
    missing = [y for y in range(first, last + 1) if not (baci / f"BACI_HS92_Y{y}_V202401b.csv").exists()]
    if missing:
        from tcd_pipeline.sample import generate_sample

        t0 = time.perf_counter()
        generate_sample(inputs, scale="full", years=range(first, last + 1))
        print(f"generated full-scale {args.years} in {time.perf_counter() - t0:.0f} s", flush=True)
    extra = [p for p in baci.glob("BACI_HS92_Y*_V202401b.csv") if not first <= int(p.name[11:15]) <= last]
    if extra:
        raise SystemExit(f"{baci} holds years outside {args.years} (e.g. {extra[0].name}): use another --workdir")
    me = [sys.executable, __file__]
    if not db.exists():
        loaded = measure([*me, "--prepare", str(inputs), str(db), args.memory_limit])
        print(f"ingested clean.flows with the pipeline's jobs: {loaded['rows']:,} rows in {loaded['seconds']:.0f} s",
              flush=True)
    results: dict[str, list[dict]] = {"baseline": [], "ours": []}
    for i in range(args.repeat):
        for name in results:
            where = [str(db), args.memory_limit] if name == "baseline" else [str(inputs), str(db), args.memory_limit]
            results[name].append(measure([*me, f"--{name}", *where]))
            print(f"run {i + 1} {name}: {json.dumps(results[name][-1])}", flush=True)
    ll = measure([*me, "--lifelines", str(inputs), str(db), args.memory_limit, str(args.lifelines_max_tests)])
    print(f"lifelines: {json.dumps(ll)}", flush=True)
    _report(args, results, ll)


def _report(args, results: dict[str, list[dict]], ll: dict) -> None:
    def med(name: str, phase: str | None = None) -> float:
        return statistics.median(r["phases"][phase] if phase else r["seconds"] for r in results[name])

    def best(name: str) -> float:
        return min(r["seconds"] for r in results[name])

    ours = results["ours"][0]
    survival_steps = [p for p in ours["phases"] if "survival" in p]  # survival_counts, the three marts, their gates
    survival_part = statistics.median(sum(r["phases"][p] for p in survival_steps) for r in results["ours"])
    lifelines_total = sum(ll["phases"].values())
    print()
    print(f"machine: {_machine()}; {time.strftime('%Y-%m-%d %H:%M')}; load average at the end {os.getloadavg()}")
    print(f"panel {args.years}: {results['baseline'][0]['rows']:,} flows -> {ours['tables']}; groups {ours['groups']}; "
          f"log-rank tests {ours['tests']}")
    print(f"DuckDB memory_limit {args.memory_limit} in (a) and (b); {args.repeat} runs of (a) and (b), alternating")
    print()
    print("| what | wall s, median | wall s, best | peak RSS MB (max) |")
    print("|---|---|---|---|")
    print(f"| (a) baseline: DuckDB window scan of clean.flows | {med('baseline'):.1f} | {best('baseline'):.1f} | "
          f"{max(r['peak_mb'] for r in results['baseline']):,.0f} |")
    print(f"| (b) survival_job, whole process (start-up, 6 assets, 6 gates) | {med('ours'):.1f} | {best('ours'):.1f} | "
          f"{max(r['peak_mb'] for r in results['ours']):,.0f} |")
    for phase in ours["phases"]:
        print(f"| (b) step {phase} | {med('ours', phase):.2f} | | |")
    print(f"| (c) lifelines, same fits and tests from the spell table | {lifelines_total:.1f} (1 run) | | "
          f"{ll['peak_mb']:,.0f} |")
    for phase, seconds in ll["phases"].items():
        print(f"| (c) {phase} | {seconds:.2f} | | |")
    print()
    pairs = [b["seconds"] / a["seconds"] for a, b in zip(results["baseline"], results["ours"], strict=True)]
    print(f"(b) / (a): {med('ours') / med('baseline'):.2f} on medians, {best('ours') / best('baseline'):.2f} on best "
          f"runs, per run (a then b) {', '.join(f'{x:.2f}' for x in pairs)} (target <= 2)")
    print(f"(c) / (b)'s survival steps ({', '.join(survival_steps)}; {survival_part:.1f} s) = "
          f"{lifelines_total / survival_part:.1f}x (target >= 20); (c) + spell build vs (b) whole: "
          f"{(lifelines_total + med('ours') - survival_part) / med('ours'):.1f}x")
    print(f"{ll['rows']:,} curves, {ll['pairwise_run']:,} of {ll['pairwise_tests']:,} pairwise and "
          f"{ll['multi_tests']:,} multi-group tests compared with lifelines: curves and bounds max abs difference "
          f"{ll['max_abs_diff_curves']:.1e}; statistics max relative difference {ll['max_rel_diff_statistics']:.1e}, "
          f"p-values max abs difference {ll['max_abs_diff_p_values']:.1e}")


if __name__ == "__main__":
    modes = {"--prepare": _prepare, "--baseline": _baseline, "--ours": _ours, "--lifelines": _lifelines}
    if len(sys.argv) > 1 and sys.argv[1] in modes:
        extra = sys.argv[2:]
        if sys.argv[1] == "--lifelines":
            extra[-1] = int(extra[-1])
        modes[sys.argv[1]](*extra)
    else:
        main()
