"""``make run``: materialize every asset on the configured inputs, incrementally, and say what was built.

    python -m tcd_pipeline.run [--input DIR] [--warehouse FILE] [--published FILE] [--force] [--prune]

Without ``--input`` and ``$TCD_INPUT_DIR`` the embedded sample world is used (generated on first
use into ``data/sample``). Runs are recorded in the Dagster instance at ``$DAGSTER_HOME`` when
set (the Makefile sets it, so ``make dev`` shows them), else in a temporary instance.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import dagster as dg
import duckdb

from tcd_pipeline import paths


def _ensure_sample(log) -> None:
    target = paths.input_dir()
    if target == paths.DEFAULT_INPUT_DIR and not target.exists():
        from tcd_pipeline.sample import generate_sample

        t0 = time.perf_counter()
        manifest = generate_sample(target)
        rows = sum(manifest["rows_per_year"].values())
        log(f"generated the sample world in {target}: {len(manifest['files'])} files, "
            f"{rows:,} flow rows, {time.perf_counter() - t0:.1f} s")


def summarize(warehouse: str) -> list[tuple[str, int]]:
    """(table, rows) for every table of the warehouse's raw and clean schemas."""
    with duckdb.connect(warehouse, read_only=True) as con:
        tables = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
            "WHERE schema_name IN ('raw', 'clean', 'marts') ORDER BY 1"
        ).fetchall()
        return [(t, con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for (t,) in tables]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tcd_pipeline.run", description=__doc__.splitlines()[0])
    parser.add_argument("--input", help="raw-input folder (default: $TCD_INPUT_DIR or data/sample)")
    parser.add_argument("--warehouse", help="DuckDB file (default: $TCD_WAREHOUSE or data/warehouse.duckdb)")
    parser.add_argument("--published", help="published marts file (default: $TCD_PUBLISHED or data/published/tcd.duckdb)")
    parser.add_argument("--force", action="store_true", help="rebuild everything, changed or not")
    parser.add_argument("--prune", action="store_true",
                        help="remove from the warehouse the BACI years and sources whose files left the input folder "
                             "(without it, the refresh stops and names them)")
    args = parser.parse_args(argv)
    if args.input:
        os.environ["TCD_INPUT_DIR"] = args.input
    if args.warehouse:
        os.environ["TCD_WAREHOUSE"] = args.warehouse
    if args.published:
        os.environ["TCD_PUBLISHED"] = args.published

    log = lambda msg: print(msg, flush=True)  # noqa: E731
    _ensure_sample(log)
    from tcd_pipeline.definitions import defs
    from tcd_pipeline.lib.resources import WarehouseLocked
    from tcd_pipeline.refresh import refresh

    log(f"inputs: {paths.input_dir()}  warehouse: {paths.warehouse_path()}  published: {paths.published_path()}")
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else dg.DagsterInstance.ephemeral()
    try:
        report = refresh(defs, instance, force=args.force, prune=args.prune, log=log)
    except WarehouseLocked as exc:
        log(f"FAILED: {exc}")
        log(f"nothing was run; the published file {paths.published_path()} is unchanged")
        return 1
    if paths.warehouse_path().exists() and report.runs and report.success:
        log("tables:")
        for table, rows in summarize(str(paths.warehouse_path())):
            log(f"  {table:<32} {rows:>12,} rows")
    if report.published:
        log(f"published for BI tools: {paths.published_path()} (version {report.published_version})")
    elif report.success:
        log(f"published file unchanged: {paths.published_path()}")
    else:
        log(f"NOT published: {paths.published_path()} is unchanged (what BI tools read is the last good version)")
    log(f"{len(report.runs)} run(s), {'all ok' if report.success else 'FAILED'}, {report.seconds:.1f} s")
    if not report.success:
        log("failures (downstream assets were not built; earlier tables are unchanged):")
        for problem in report.problems:
            log(f"  - {problem}")
    return 0 if report.success else 1


if __name__ == "__main__":
    sys.exit(main())
