"""Benchmark: export spells, Kaplan-Meier curves and log-rank tests on a full-scale synthetic panel.

Input: ``tcd_pipeline.sample`` at ``scale="full"`` (226 countries x 5,037 HS92 codes, about 10
million flows a year), 2000-2018 by default, loaded once into ``clean.flows`` of a DuckDB file
(ISO3 codes from the country list, value = v x 1,000). Each measurement is a fresh process
under ``/usr/bin/time -v`` (wall time, peak resident memory), DuckDB limited to the same
``--memory-limit`` in (a) and (b):

- (a) baseline: DuckDB scans ``clean.flows`` once with a window over the spell keys,
  ``SELECT count(*) FROM (SELECT year - row_number() OVER (PARTITION BY exporter, hs6, importer
  ORDER BY year) FROM clean.flows)``;
- (b) ours: ``spells.export_spells`` built by ``sql/spells/export_spells.sql``; spells collapsed
  in DuckDB per group type (exporter; exporter x sector = HS chapter; exporter x destination
  region = continent of the sample's country list; exporter x period = before / from 2009);
  Kaplan-Meier curves and summaries of every group; log-rank tests: every pair of exporters,
  sectors per exporter, regions per exporter, before vs after 2009 per exporter;
- (c) lifelines: ``KaplanMeierFitter().fit`` on the raw spells of each group, in a loop (only the
  loop is timed; ``--lifelines-max-groups`` fits a random subset and extrapolates), then every
  fitted curve is compared with (b)'s.

    python benchmarks/bench_survival.py [--years 2000-2018] [--repeat 3] [--workdir /tmp/tcd_survival_bench]
"""

from __future__ import annotations

import argparse
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
LOAD_SQL = """
INSERT INTO clean.flows
SELECT CAST(f.t AS SMALLINT), e.iso3, m.iso3, f.k, f.v * 1000, TRY_CAST(trim(f.q) AS DOUBLE)
FROM read_csv($file, auto_detect = false, header = true, columns = {
    't': 'SMALLINT', 'i': 'INTEGER', 'j': 'INTEGER', 'k': 'VARCHAR', 'v': 'DOUBLE', 'q': 'VARCHAR'}) AS f
JOIN bench_countries AS e ON e.country_code = f.i
JOIN bench_countries AS m ON m.country_code = f.j
"""
EVENT_YEAR = 2009
GROUP_TYPES = {
    "exporter": ["exporter"],
    "exporter x sector": ["exporter", "sector"],
    "exporter x region": ["exporter", "region"],
    "exporter x period": ["exporter", "period"],
}


def _connect(db: str, memory_limit: str):
    import duckdb

    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", memory_limit):
        raise SystemExit(f"--memory-limit must look like 6GB, got {memory_limit!r}")
    con = duckdb.connect(db)
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET memory_limit = '{memory_limit}'")  # SET takes no bound parameter; checked above
    return con


def _load(inputs: str, db: str, years: str) -> None:
    import duckdb

    first, last = (int(y) for y in years.split("-"))
    baci = Path(inputs) / "baci"
    with duckdb.connect(db) as con:
        con.execute("SET enable_progress_bar = false")
        con.execute("CREATE SCHEMA IF NOT EXISTS clean")
        con.execute(
            "CREATE TEMP TABLE bench_countries AS SELECT CAST(country_code AS INTEGER) AS country_code, "
            "country_iso3 AS iso3 FROM read_csv($path, header = true, all_varchar = true)",
            {"path": str(baci / "country_codes_V202401b.csv")})
        con.execute("CREATE OR REPLACE TABLE clean.flows (year SMALLINT, exporter VARCHAR, importer VARCHAR, "
                    "hs6 VARCHAR, value_usd DOUBLE, quantity_t DOUBLE)")
        for year in range(first, last + 1):
            con.execute(LOAD_SQL, {"file": str(baci / f"BACI_HS92_Y{year}_V202401b.csv")})
        print(json.dumps({"rows": con.execute("SELECT count(*) FROM clean.flows").fetchone()[0]}))


def _baseline(db: str, memory_limit: str) -> None:
    con = _connect(db, memory_limit)
    t0 = time.perf_counter()
    rows = con.execute(BASELINE_SQL).fetchone()[0]
    print(json.dumps({"rows": rows, "phases": {"window scan": time.perf_counter() - t0}}))


def _group_relations(con):
    """The spell table with the grouping columns of each group type, as DuckDB relations."""
    import duckdb

    from tcd_pipeline.paths import REPO_ROOT
    from tcd_pipeline.spells_sql import spells_table, with_period

    countries = REPO_ROOT / "tcd_pipeline" / "sample" / "data" / "countries.csv"
    con.execute("CREATE OR REPLACE TEMP TABLE bench_regions AS SELECT iso3 AS importer, "
                "coalesce(continent, 'unknown') AS region FROM read_csv($path, header = true, all_varchar = true)",
                {"path": str(countries)})
    spells = con.table(spells_table())
    chapter = duckdb.FunctionExpression("left", duckdb.ColumnExpression("hs6"), duckdb.ConstantExpression(2))
    return {
        "exporter": spells,
        "exporter x sector": spells.select(duckdb.StarExpression(), chapter.alias("sector")),
        "exporter x region": spells.join(con.table("bench_regions"), "importer"),
        "exporter x period": with_period(spells, EVENT_YEAR),
    }


def _ours(db: str, memory_limit: str, out_dir: str) -> None:

    from tcd_pipeline.core.survival import kaplan_meier, logrank, logrank_pairwise, survival_summary
    from tcd_pipeline.spells_sql import build_spells, spell_counts

    phases: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        phases[name] = now - clock
        clock = now

    con = _connect(db, memory_limit)
    n_spells = build_spells(con)
    lap("spells (DuckDB)")
    counts = {name: spell_counts(rel, GROUP_TYPES[name]) for name, rel in _group_relations(con).items()}
    lap("collapse per group type (DuckDB)")
    curves = {name: kaplan_meier(counts[name], GROUP_TYPES[name], weight="weight") for name in GROUP_TYPES}
    summaries = {name: survival_summary(curves[name], GROUP_TYPES[name]) for name in GROUP_TYPES}
    lap("Kaplan-Meier + summaries")
    tests = {
        "exporter pairs": logrank_pairwise(counts["exporter"], "exporter", weight="weight"),
        "sectors per exporter": logrank(counts["exporter x sector"], "sector", ["exporter"], weight="weight"),
        "regions per exporter": logrank(counts["exporter x region"], "region", ["exporter"], weight="weight"),
        "before/after per exporter": logrank(counts["exporter x period"], "period", ["exporter"], weight="weight"),
    }
    lap("log-rank tests")
    out = Path(out_dir)
    for name, frame in curves.items():
        frame.write_parquet(out / f"curves_{name.replace(' ', '_')}.parquet")
    print(json.dumps({
        "rows": n_spells, "phases": phases,
        "groups": {name: summaries[name].height for name in GROUP_TYPES},
        "curve_rows": sum(c.height for c in curves.values()),
        "tests": {name: t.height for name, t in tests.items()},
    }))


def _lifelines(db: str, memory_limit: str, out_dir: str, max_groups: int) -> None:
    import numpy as np
    import polars as pl
    from lifelines import KaplanMeierFitter

    con = _connect(db, memory_limit)
    relations = _group_relations(con)
    rng = np.random.default_rng(20261127)
    fitted_seconds, fitted, total_groups, worst = 0.0, 0, 0, 0.0
    for name, by in GROUP_TYPES.items():
        spells = relations[name].filter("NOT left_censored").select(*by, "duration", "event").pl().sort(by)
        groups = spells.group_by(by, maintain_order=True).agg(pl.len().alias("n")).with_columns(
            pl.col("n").cum_sum().alias("end"))
        keys, ends = groups.select(by).rows(), groups["end"].to_numpy()
        starts = np.r_[0, ends[:-1]]
        pick = np.arange(len(keys))
        if len(keys) > max_groups:
            pick = np.sort(rng.choice(len(keys), max_groups, replace=False))
        durations, events = spells["duration"].to_numpy().astype(float), spells["event"].to_numpy()
        results = []
        t0 = time.perf_counter()
        for i in pick:
            kmf = KaplanMeierFitter().fit(durations[starts[i]:ends[i]], events[starts[i]:ends[i]])
            results.append((i, kmf.survival_function_.to_numpy()[:, 0], kmf.confidence_interval_.to_numpy()))
        seconds = time.perf_counter() - t0
        fitted_seconds += seconds * len(keys) / len(pick)   # extrapolated when a subset was fitted
        fitted, total_groups = fitted + len(pick), total_groups + len(keys)
        ours = pl.read_parquet(Path(out_dir) / f"curves_{name.replace(' ', '_')}.parquet")
        ours = ours.partition_by(by, as_dict=True)
        for i, s, ci in results:
            mine = ours[keys[i]]
            for a, b in ((mine["survival"], s), (mine["ci_lower"], ci[:, 0]), (mine["ci_upper"], ci[:, 1])):
                worst = max(worst, float(np.max(np.abs(a.to_numpy() - b))))
    print(json.dumps({"rows": total_groups, "fitted": fitted, "max_abs_diff": worst,
                      "phases": {"lifelines loop (all groups)": fitted_seconds}}))


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    mem = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    import duckdb
    import lifelines
    import polars

    return (f"{platform.node()}: {os.cpu_count()} x {cpu}, {mem / 2**20:.0f} GB RAM; "
            f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, polars {polars.__version__}, "
            f"lifelines {lifelines.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", default="2000-2018")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", default="/tmp/tcd_survival_bench")
    parser.add_argument("--memory-limit", default="6GB")
    parser.add_argument("--lifelines-max-groups", type=int, default=1_000_000)
    args = parser.parse_args()
    first, last = (int(y) for y in args.years.split("-"))
    work = Path(args.workdir)
    inputs, db = work / "inputs", work / f"flows_{first}_{last}.duckdb"
    work.mkdir(parents=True, exist_ok=True)
    missing = [y for y in range(first, last + 1) if not (inputs / "baci" / f"BACI_HS92_Y{y}_V202401b.csv").exists()]
    if missing:
        from tcd_pipeline.sample import generate_sample

        t0 = time.perf_counter()
        generate_sample(inputs, scale="full", years=range(first, last + 1))
        print(f"generated full-scale {args.years} in {time.perf_counter() - t0:.0f} s", flush=True)
    me = [sys.executable, __file__]
    if not db.exists():
        loaded = measure([*me, "--load", str(inputs), str(db), args.years])
        print(f"loaded clean.flows: {loaded['rows']:,} rows in {loaded['seconds']:.0f} s", flush=True)
    results: dict[str, list[dict]] = {"baseline": [], "ours": []}
    for i in range(args.repeat):
        for name in results:
            extra = [str(work)] if name == "ours" else []
            results[name].append(measure([*me, f"--{name}", str(db), args.memory_limit, *extra]))
            print(f"run {i + 1} {name}: {json.dumps(results[name][-1])}", flush=True)
    ll = measure([*me, "--lifelines", str(db), args.memory_limit, str(work), str(args.lifelines_max_groups)])
    print(f"lifelines: {json.dumps(ll)}", flush=True)

    def med(name: str, phase: str | None = None) -> float:
        return statistics.median(r["phases"][phase] if phase else r["seconds"] for r in results[name])

    ours = results["ours"][0]
    survival_part = statistics.median(
        sum(v for k, v in r["phases"].items() if "DuckDB" not in k) for r in results["ours"])
    lifelines_km = ll["phases"]["lifelines loop (all groups)"]
    print()
    print(f"machine: {_machine()}; {time.strftime('%Y-%m-%d %H:%M')}; load average at the end {os.getloadavg()}")
    print(f"panel {args.years}: {results['baseline'][0]['rows']:,} flows -> {ours['rows']:,} spells "
          f"(left-censored excluded); groups {ours['groups']}; log-rank tests {ours['tests']}")
    print(f"DuckDB memory_limit {args.memory_limit} in (a) and (b); {args.repeat} runs of (a) and (b), alternating")
    print()
    def best(name: str, phase: str | None = None) -> float:
        return min(r["phases"][phase] if phase else r["seconds"] for r in results[name])

    print("| what | wall s, median | wall s, best | peak RSS MB (max) |")
    print("|---|---|---|---|")
    print(f"| (a) baseline: DuckDB window scan of clean.flows | {med('baseline'):.1f} | {best('baseline'):.1f} | "
          f"{max(r['peak_mb'] for r in results['baseline']):,.0f} |")
    print(f"| (b) ours, whole process: spells + KM (4 group types) + summaries + log-rank | {med('ours'):.1f} | "
          f"{best('ours'):.1f} | {max(r['peak_mb'] for r in results['ours']):,.0f} |")
    for phase in ours["phases"]:
        print(f"| (b) of which {phase} | {med('ours', phase):.2f} | {best('ours', phase):.2f} | |")
    label = "all" if ll["fitted"] == ll["rows"] else f"{ll['fitted']:,} fitted, time extrapolated per group type"
    print(f"| (c) lifelines KaplanMeierFitter loop, {ll['rows']:,} groups ({label}) | {lifelines_km:.1f} "
          f"(loop only, 1 run) | | {ll['peak_mb']:,.0f} |")
    print()
    pairs = [b["seconds"] / a["seconds"] for a, b in zip(results["baseline"], results["ours"], strict=True)]
    print(f"(b) / (a): {med('ours') / med('baseline'):.2f} on medians, {best('ours') / best('baseline'):.2f} on best "
          f"runs, per run (a then b) {', '.join(f'{x:.2f}' for x in pairs)} (target <= 2)")
    print(f"(c) / (b) whole process = {lifelines_km / med('ours'):.1f}x; (c) / (b) survival part (KM, summaries, "
          f"log-rank; no DuckDB) = {lifelines_km / survival_part:.0f}x; (c) / (b) KM + summaries = "
          f"{lifelines_km / med('ours', 'Kaplan-Meier + summaries'):.0f}x (target >= 20)")
    print(f"max |(b) - lifelines| over S, CI lower, CI upper of the {ll['fitted']:,} fitted groups: "
          f"{ll['max_abs_diff']:.1e}")


if __name__ == "__main__":
    modes = {"--load": _load, "--baseline": _baseline, "--ours": _ours, "--lifelines": _lifelines}
    if len(sys.argv) > 1 and sys.argv[1] in modes:
        extra = sys.argv[2:]
        if sys.argv[1] == "--lifelines":
            extra[-1] = int(extra[-1])
        modes[sys.argv[1]](*extra)
    else:
        main()
