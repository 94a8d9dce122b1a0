"""Benchmark: the same panel steps with two versions of the code, alternately, on copies of the same data.

Before/after claims on a shared machine: the two versions run one after the other, ``--repeat``
times, so both see the same load; each step is a fresh process under ``/usr/bin/time -v`` and
reports wall and CPU seconds (user + system; less sensitive to other work on the cores than wall
time). ``REF`` is any git revision (exported to the work folder with ``git archive``) and is put
first on ``PYTHONPATH``; the other version is the working tree. Steps:

- ingest: a fresh warehouse, the reference job (not timed), then ``ingest_flows_job`` for the
  panel's first year (timed in the process: wall and CPU of that run only);
- trade_outcomes_job on a copy of the warehouse of a full ``bench_panel.py`` run (timed the same
  way, with the time of every step), every year and period computed (the copy forgets what a build
  recorded for reuse).

Both write only into the work folder (their own published file and reports).

    python benchmarks/bench_ab.py REF --panel /tmp/tcd_panel/run_2000-2004_after [--repeat 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import measure  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def _child(kind: str, inputs: str, warehouse: str, year: str) -> None:
    import dagster as dg

    from tcd_pipeline.definitions import build_definitions
    from tcd_pipeline.lib.resources import PublishedMarts, RawInputs, Warehouse

    work = Path(warehouse).parent
    defs = build_definitions(Warehouse(database=warehouse), RawInputs(directory=inputs),
                             published_marts=PublishedMarts(path=str(work / "published.duckdb"),
                                                            reports=str(work / "reports")))
    instance = dg.DagsterInstance.ephemeral()
    config = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
    if kind == "ingest":
        instance.add_dynamic_partitions("baci_year", [year])
        defs.resolve_job_def("ingest_reference_job").execute_in_process(instance=instance, run_config=config)
        job, partition = "ingest_flows_job", year
    else:
        job, partition = "trade_outcomes_job", None
    usage, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    result = defs.resolve_job_def(job).execute_in_process(instance=instance, partition_key=partition,
                                                          run_config=config, raise_on_error=True)
    after = resource.getrusage(resource.RUSAGE_SELF)
    steps = {e.step_key: round(e.event_specific_data.duration_ms / 1000, 2) for e in result.all_events
             if e.event_type_value == "STEP_SUCCESS"}
    print(json.dumps({"wall": time.perf_counter() - started,
                      "cpu": after.ru_utime - usage.ru_utime + after.ru_stime - usage.ru_stime, "steps": steps}))


def forget_reuse(warehouse: Path) -> None:
    """Both versions compute every year and period: what a build recorded for reuse (meta.mart_years,
    meta.mart_periods) and the stored exporter x HS6 totals (work.exports_by_product) are dropped from the copy,
    so the comparison is a full build against a full build."""
    import duckdb

    with duckdb.connect(str(warehouse)) as con:
        for table in ("meta.mart_years", "meta.mart_periods", "work.exports_by_product", "work.exports_by_product_years"):
            con.execute(f"DROP TABLE IF EXISTS {table}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ref", help="git revision of the 'before' code")
    parser.add_argument("--panel", required=True, help="a bench_panel.py run folder (inputs/, warehouse.duckdb)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--steps", default="ingest,marts")
    args = parser.parse_args()
    panel = Path(args.panel)
    work = panel.parent / f"ab_{args.ref[:12]}"
    code = work / "code"
    if not code.exists():
        code.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", args.ref], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    first = min(int(p.name.split("_Y")[1][:4]) for p in (panel / "inputs" / "baci").glob("BACI_*"))
    versions = {f"before ({args.ref[:12]})": str(code), "after (working tree)": str(REPO)}
    results: dict[tuple[str, str], list[dict]] = {}
    for i in range(args.repeat):
        for label, path in versions.items():
            env = {k: v for k, v in os.environ.items() if not k.startswith(("DAGSTER_HOME", "TCD_"))}
            env["PYTHONPATH"] = path
            for step in args.steps.split(","):
                target = work / "wh"
                shutil.rmtree(target, ignore_errors=True)
                target.mkdir()
                warehouse = target / "warehouse.duckdb"
                if step == "marts":
                    shutil.copyfile(panel / "warehouse.duckdb", warehouse)
                    forget_reuse(warehouse)
                out = measure([sys.executable, __file__, "--child", "ingest" if step == "ingest" else "marts",
                               str(panel / "inputs"), str(warehouse), str(first)], env)
                results.setdefault((step, label), []).append(out)
                print(f"run {i + 1} {label} {step}: wall {out['wall']:.1f} s, cpu {out['cpu']:.1f} s, "
                      f"peak {out['peak_mb']:.0f} MB; load average {os.getloadavg()[0]:.1f}", flush=True)
    med = statistics.median
    print("\n| step | version | median wall s | median CPU s | slowest steps (last run, s) |")
    print("|---|---|---|---|---|")
    for (step, label), runs in results.items():
        slow = sorted(runs[-1]["steps"].items(), key=lambda kv: -kv[1])[:6]
        print(f"| {step} | {label} | {med(r['wall'] for r in runs):.1f} | {med(r['cpu'] for r in runs):.1f} | "
              + ", ".join(f"{k} {v:.1f}" for k, v in slow) + " |")


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        _child(*sys.argv[2:])
    else:
        main()
