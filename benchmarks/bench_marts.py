"""Benchmark: every trade-outcome mart for all countries, on full-scale synthetic years.

Builds a warehouse from two full-scale years (about 10 million rows each; generated once into
the work folder), then measures in fresh processes under /usr/bin/time -v, in the same run:

- baseline: one DuckDB GROUP BY of clean.flows to exporter x hs6 totals (the floor every
  product-level indicator needs);
- marts: ``trade_outcomes_job`` (17 marts, their gates), with the growth and margin period
  2005-2006.

    python benchmarks/bench_marts.py [--workdir /tmp/tcd_bench_marts] [--repeat 1]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import measure  # noqa: E402

YEARS = (2005, 2006)
BASELINE = """
import duckdb, json, sys, time
with duckdb.connect(sys.argv[1], read_only=True) as con:
    rows = con.execute("SELECT count(*) FROM (SELECT exporter, hs6, year, sum(value_usd) FROM clean.flows GROUP BY ALL)").fetchone()[0]
print(json.dumps({"rows": rows}))
"""
MARTS = """
import json, sys, time, dagster as dg
from tcd_pipeline.definitions import defs
t = time.perf_counter()
result = defs.resolve_job_def("trade_outcomes_job").execute_in_process(
    instance=dg.DagsterInstance.ephemeral(), raise_on_error=True,
    run_config={"loggers": {"console": {"config": {"log_level": "WARNING"}}}})
steps = {e.step_key: round(e.event_specific_data.duration_ms / 1000, 2) for e in result.all_events
         if e.event_type_value == "STEP_SUCCESS" and not e.step_key.endswith("_gate")}
print(json.dumps({"job_seconds": round(time.perf_counter() - t, 1), "steps": steps}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", default="/tmp/tcd_bench_marts")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    work = Path(args.workdir)
    inputs, warehouse = work / "inputs", work / "wh.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env.update(TCD_INPUT_DIR=str(inputs), TCD_WAREHOUSE=str(warehouse), TCD_PUBLISHED=str(work / "pub" / "tcd.duckdb"),
               TCD_REPORTS=str(work / "reports"), TCD_GROWTH_PERIODS=f"{YEARS[0]}-{YEARS[1]}")
    if not (inputs / "baci").exists():
        from tcd_pipeline.sample import generate_sample

        t0 = time.perf_counter()
        generate_sample(inputs, scale="full", years=YEARS)
        print(f"generated {YEARS} at full scale in {time.perf_counter() - t0:.0f} s", flush=True)
    if not warehouse.exists():
        built = measure([sys.executable, "-m", "tcd_pipeline.run"], env)
        print(f"ingest + marts + publication from scratch: {built['seconds']:.0f} s, peak {built['peak_mb']:.0f} MB")
    base, marts = [], []
    for _ in range(args.repeat):
        base.append(measure([sys.executable, "-c", BASELINE, str(warehouse)], env))
        marts.append(measure([sys.executable, "-c", MARTS], env))
        print(base[-1], marts[-1], flush=True)
    med = statistics.median
    print(f"\nmachine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores; date {time.strftime('%Y-%m-%d')}; "
          f"clean.flows {YEARS}, exporter x hs6 x year rows: {base[0]['rows']:,}")
    print("| what | median wall s | max peak RSS MB |")
    print("|---|---|---|")
    print(f"| baseline: GROUP BY exporter, hs6, year | {med(b['seconds'] for b in base):.1f} | {max(b['peak_mb'] for b in base):.0f} |")
    print(f"| trade_outcomes_job (17 marts + gates) | {med(m['seconds'] for m in marts):.1f} | {max(m['peak_mb'] for m in marts):.0f} |")
    print("slowest steps:", sorted(marts[-1]["steps"].items(), key=lambda kv: -kv[1])[:6])


if __name__ == "__main__":
    main()
