"""Benchmark: render one country's diagnostic report (HTML + Excel) from the published sample file.

Compares, in the same run and on the same copy of the published file:

- baseline: reading every report table, the queries only (``sql/report/<name>.sql`` on a read-only connection,
  into polars frames): what any report needs at least;
- render, in process: :func:`tcd_pipeline.report.render.render`, queries + key findings + figures
  (matplotlib) + the HTML file + the workbook, written atomically; the first rendering of the process is
  reported apart (it imports matplotlib and openpyxl);
- render, fresh process: ``python -m tcd_pipeline.report`` under ``/usr/bin/time -v`` (wall time, peak memory),
  what a user waits for.

    python benchmarks/bench_report.py [--published data/published/tcd.duckdb] [--focus KAZ] [--repeat 5]

Nothing is written to the published file or the reports folder: the file is copied into a temporary folder
and the reports go there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import measure  # noqa: E402


def _queries(published: Path, focus: str, comparators: tuple[str, ...]) -> tuple[float, int]:
    import duckdb

    from tcd_pipeline.report.spec import ITEMS
    from tcd_pipeline.report.tables import querying, run_item

    started = time.perf_counter()
    rows = 0
    with duckdb.connect(str(published), read_only=True) as con, querying(con):
        for item in ITEMS:
            rows += run_item(con, item, focus, comparators).height
    return time.perf_counter() - started, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--published", default="data/published/tcd.duckdb")
    parser.add_argument("--focus", default="KAZ")
    parser.add_argument("--comparators", default="RUS,AZE,CHL,IDN,MEX,THA,VNM")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    source = Path(args.published)
    if not source.exists():
        raise SystemExit(f"no published file at {source}: run `make run` first")
    comparators = tuple(c for c in args.comparators.split(",") if c)

    from tcd_pipeline.report.html import render_html
    from tcd_pipeline.report.render import build_report, render
    from tcd_pipeline.report.workbook import write_workbook

    with tempfile.TemporaryDirectory(prefix="tcd_bench_report_") as tmp:
        published = Path(tmp) / "tcd.duckdb"
        shutil.copyfile(source, published)
        out = Path(tmp) / "reports"
        first = render(published, out, args.focus, comparators)
        queries, renders, cpu, rows = [], [], [], 0
        parts: dict[str, list[float]] = {"report tables + findings": [], "figures + HTML": [], "workbook": []}
        for _ in range(args.repeat):
            seconds, rows = _queries(published, args.focus, comparators)
            queries.append(seconds)
            c0 = time.process_time()
            renders.append(render(published, out, args.focus, comparators))
            cpu.append(time.process_time() - c0)
            t0 = time.perf_counter()
            report = build_report(published, args.focus, comparators)
            t1 = time.perf_counter()
            render_html(report)
            t2 = time.perf_counter()
            write_workbook(report, Path(tmp) / "parts.xlsx")
            t3 = time.perf_counter()
            for name, seconds in zip(parts, (t1 - t0, t2 - t1, t3 - t2)):
                parts[name].append(seconds)
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
        fresh = [measure([sys.executable, "-m", "tcd_pipeline.report", "--published", str(published), "--out",
                          str(out), "--focus", args.focus, "--comparators", ",".join(comparators)], env=env)
                 for _ in range(args.repeat)]
        html_kb = first.html.stat().st_size / 1024
        xlsx_kb = first.workbook.stat().st_size / 1024

    q = statistics.median(queries)
    r = statistics.median(f.seconds for f in renders)
    p = statistics.median(f["seconds"] for f in fresh)
    result = {
        "machine": f"{platform.node()} ({os.cpu_count()} CPUs)", "focus": args.focus, "repeat": args.repeat,
        "report_tables_rows": rows, "figures": first.figures, "tables": first.tables, "empty": list(first.empty),
        "baseline_queries_s": round(q, 3),
        "render_in_process_s": round(r, 3),
        "render_in_process_cpu_s": round(statistics.median(cpu), 3),
        "render_first_in_process_s": round(first.seconds, 3),
        "render_fresh_process_s": round(p, 3),
        "fresh_process_peak_mb": round(max(f["peak_mb"] for f in fresh), 1),
        "ratio_render_to_queries": round(r / q, 1),
        "parts_s": {name: round(statistics.median(v), 3) for name, v in parts.items()},
        "html_kb": round(html_kb), "xlsx_kb": round(xlsx_kb),
    }
    print(f"baseline, the report tables' queries only: median {q:.3f} s ({rows:,} rows, {args.repeat} runs)")
    print(f"render in process (queries, findings, figures, HTML, workbook): median {r:.3f} s "
          f"(first of the process {first.seconds:.3f} s) = {r / q:.1f}x the queries; CPU time of this process "
          f"{result['render_in_process_cpu_s']:.3f} s (a measure less sensitive to other jobs on the machine)")
    print("  of which, measured apart: " + ", ".join(f"{k} {v:.3f} s" for k, v in result["parts_s"].items()))
    print(f"render in a fresh process (python -m tcd_pipeline.report): median {p:.2f} s, "
          f"peak {result['fresh_process_peak_mb']} MB")
    print(f"{first.figures} figures, {first.tables} tables; HTML {html_kb:.0f} KB, workbook {xlsx_kb:.0f} KB")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
