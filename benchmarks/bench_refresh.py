"""Benchmark: what a refresh costs when nothing changed, and when one BACI year changed.

On the embedded sample (19 years, 42 countries), in fresh processes, median of --repeat runs:

- baseline: starting Python and importing the code location (``import tcd_pipeline.definitions``),
  the floor of any ``make run``;
- no change: ``python -m tcd_pipeline.run`` on an up-to-date warehouse (plan only, no Dagster run);
- sensor tick: one evaluation of ``raw_files_sensor`` with nothing changed (in process);
- one year replaced: the same command after touching one BACI file (ingest of that year, marts,
  publication).

    python benchmarks/bench_refresh.py [--repeat 5] [--workdir /tmp/tcd_bench_refresh]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _timed(cmd: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", default="/tmp/tcd_bench_refresh")
    args = parser.parse_args()
    work = Path(args.workdir)
    inputs, warehouse, published = work / "inputs", work / "wh.duckdb", work / "pub" / "tcd.duckdb"
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    # the benchmark's own warehouse, published file and reports, never the user's
    env.update(TCD_INPUT_DIR=str(inputs), TCD_WAREHOUSE=str(warehouse), TCD_PUBLISHED=str(published),
               TCD_REPORTS=str(work / "reports"))
    if not inputs.exists():
        from tcd_pipeline.sample import generate_sample

        generate_sample(inputs)
    run = [sys.executable, "-m", "tcd_pipeline.run"]
    first = _timed(run, env)  # builds whatever is missing

    baseline = [_timed([sys.executable, "-c", "import tcd_pipeline.definitions"], env) for _ in range(args.repeat)]
    idle = [_timed(run, env) for _ in range(args.repeat)]

    import dagster as dg

    from tcd_pipeline.defs.automation.sensors import raw_files_sensor
    from tcd_pipeline.lib.resources import PublishedMarts, RawInputs, Warehouse

    resources = {"raw_inputs": RawInputs(directory=str(inputs)), "warehouse": Warehouse(database=str(warehouse)),
                 "published_marts": PublishedMarts(path=str(published), reports=str(work / "reports"))}
    instance = dg.DagsterInstance.ephemeral()
    ticks = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = raw_files_sensor(dg.build_sensor_context(instance=instance, resources=resources))
        ticks.append(time.perf_counter() - started)
        assert isinstance(result, dg.SkipReason), result

    one_year = []
    year_file = next((inputs / "baci").glob("BACI_HS92_Y2010_*.csv"))
    for _ in range(args.repeat):
        os.utime(year_file)  # a replaced file: new modification time
        one_year.append(_timed(run, env))

    med = statistics.median
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores; date {time.strftime('%Y-%m-%d')}; "
          f"first build {first:.1f} s")
    print("| what | median s | min s | max s |")
    print("|---|---|---|---|")
    for name, values in (("baseline: python + import tcd_pipeline.definitions", baseline),
                         ("make run, nothing changed", idle), ("sensor tick, nothing changed", ticks),
                         ("make run, one BACI year replaced", one_year)):
        print(f"| {name} | {med(values):.2f} | {min(values):.2f} | {max(values):.2f} |")


if __name__ == "__main__":
    main()
