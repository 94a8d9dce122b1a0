"""``make run``: materialize every asset on the configured inputs, incrementally, and say what was built;
last, render the focus country's report from the published file (``data/reports/tcd_<FOCUS>.html``).

    python -m tcd_pipeline.run [--input DIR] [--warehouse FILE] [--published FILE] [--force] [--prune]

The flags build the resources (``--warehouse`` is ``Warehouse(database=...)``; without a flag, the
setting's environment variable, else its default: see :mod:`tcd_pipeline.config`); the environment
is never changed. Without ``--input`` and ``$TCD_INPUT_DIR`` the embedded sample world is used
(generated on first use into ``data/sample``). Runs are recorded in the Dagster instance of the
warehouse, the folder beside it (``data/warehouse.duckdb`` -> ``data/warehouse.dagster``), or in
``$DAGSTER_HOME`` when set and it belongs to that warehouse; when it belongs to another, nothing runs.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from tcd_pipeline import config


def _ensure_sample(target: Path, log) -> None:
    """Generate the sample world when the inputs are the default folder and it does not exist yet."""
    if target == config.BY_NAME["raw_inputs.directory"].default_value() and not target.exists():
        from tcd_pipeline.sample import generate_sample

        t0 = time.perf_counter()
        manifest = generate_sample(target)
        rows = sum(manifest["rows_per_year"].values())
        log(f"generated the sample world in {target}: {len(manifest['files'])} files, "
            f"{rows:,} flow rows, {time.perf_counter() - t0:.1f} s")


def summarize(warehouse) -> list[tuple[str, int]]:
    """(table, rows) for every table of the warehouse's raw, clean and marts schemas (``warehouse``: a
    :class:`~tcd_pipeline.lib.resources.Warehouse`; a lock held by another process is waited for, said)."""
    with warehouse.get_connection(read_only=True) as con:
        tables = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
            "WHERE schema_name IN ('raw', 'clean', 'marts') ORDER BY 1"
        ).fetchall()
        return [(t, con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for (t,) in tables]


def _print_lock_waits(log) -> None:
    """Lock waits said outside the runs (planning, the summary) are printed as they happen; inside a run
    they go to the run's log (``make dev`` shows them; the run's warnings are printed after it)."""
    from tcd_pipeline.lib.resources import LOGGER

    if not any(getattr(h, "tcd_run", False) for h in LOGGER.handlers):
        handler = logging.Handler(logging.INFO)
        handler.emit = lambda record: log(f"  {record.getMessage()}")
        handler.tcd_run = True
        LOGGER.addHandler(handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tcd_pipeline.run", description=__doc__.splitlines()[0])
    parser.add_argument("--input", help="raw-input folder (default: $TCD_INPUT_DIR or data/sample)")
    parser.add_argument("--warehouse", help="DuckDB file (default: $TCD_WAREHOUSE or data/warehouse.duckdb)")
    parser.add_argument("--published", help="published marts file (default: $TCD_PUBLISHED or data/published/tcd.duckdb)")
    parser.add_argument("--reports", help="folder of the rendered reports (default: $TCD_REPORTS or data/reports)")
    parser.add_argument("--force", action="store_true", help="rebuild everything, changed or not")
    parser.add_argument("--prune", action="store_true",
                        help="remove from the warehouse the BACI years and sources whose files left the input folder "
                             "(without it, the refresh stops and names them)")
    args = parser.parse_args(argv)
    log = lambda msg: print(msg, flush=True)  # noqa: E731

    from tcd_pipeline.lib.resources import PublishedMarts, RawInputs, Warehouse

    warehouse = Warehouse(database=args.warehouse)
    raw_inputs = RawInputs(directory=args.input)
    published_marts = PublishedMarts(path=args.published, reports=args.reports)
    try:
        inputs, target, published = (raw_inputs.resolved_dir(), warehouse.resolved_path(),
                                     published_marts.resolved_path())
        home = config.prepare_instance(target, os.environ.get("DAGSTER_HOME"))
    except (ValueError, config.InstanceMismatch) as exc:  # a bad setting; an instance of another warehouse
        log(f"stopped: {exc}")
        log("nothing was run; the warehouse and the published file are unchanged")
        return 2

    _ensure_sample(inputs, log)
    _print_lock_waits(log)
    import dagster as dg

    from tcd_pipeline.definitions import build_definitions
    from tcd_pipeline.lib.resources import WarehouseLocked
    from tcd_pipeline.refresh import refresh

    # the resolved paths, whether given by flag, $TCD_* or default
    published_marts = PublishedMarts(path=str(published), reports=str(published_marts.reports_dir()))
    defs = build_definitions(warehouse=warehouse, raw_inputs=raw_inputs, published_marts=published_marts)
    log(f"inputs: {inputs}  warehouse: {target}  published: {published}")
    opened: list[dg.DagsterInstance] = []

    def instance() -> dg.DagsterInstance:  # opened only when a run is recorded (not when nothing changed)
        opened.append(dg.DagsterInstance.from_config(str(home)))
        return opened[-1]

    try:
        report = refresh(defs, instance, force=args.force, prune=args.prune, log=log)
    except WarehouseLocked as exc:
        log(f"FAILED: {exc}")
        log(f"nothing was run; the published file {published} is unchanged")
        return 1
    finally:
        for each in opened:
            each.dispose()
    tables = []
    if target.exists() and report.runs and report.success:
        try:
            tables = summarize(warehouse)
        except WarehouseLocked as exc:
            log(f"tables not listed: {exc}")
    if tables:
        log("tables:")
        for table, rows in tables:
            log(f"  {table:<32} {rows:>12,} rows")
    if report.published:
        log(f"published for BI tools: {published} (version {report.published_version})")
    elif report.success:
        log(f"published file unchanged: {published}")
    else:
        log(f"NOT published: {published} is unchanged (what BI tools read is the last good version)")
    if report.report_run is not None and report.report_ok:
        log(f"report: {report.report_path} (and .xlsx; another country: python -m tcd_pipeline.report --focus CHL)")
    elif report.report_run is not None:
        log("report NOT rendered (the published file is unaffected):")
        for problem in report.report_run.problems:
            log(f"  - {problem}")
    runs = len(report.runs) + (report.report_run is not None)
    ok = report.success and report.report_ok
    log(f"{runs} run(s), {'all ok' if ok else 'FAILED'}, {report.seconds:.1f} s")
    if not report.success:
        log("failures (downstream assets were not built; earlier tables are unchanged):")
        for problem in report.problems:
            log(f"  - {problem}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

