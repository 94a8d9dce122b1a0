"""Orchestration: the refresh job, the raw-file sensor and the nightly schedule.

All three share :func:`tcd_pipeline.warehouse.plan.make_plan`. The sensor and the schedule only read the
warehouse's manifest (read-only; a tick while a run writes is skipped) and, when something
changed, launch ``refresh_job``: one run that executes the layer jobs in order (ingest,
marts, publish) exactly as ``make run`` does, each as its own run in the same instance.
When nothing changed, no run is launched at all.
"""

import hashlib
import time

import dagster as dg
import duckdb

from tcd_pipeline.lib.resources import PublishedMarts, RawInputs, Warehouse
from tcd_pipeline.warehouse.plan import Plan, make_plan

REFRESH_TAGS = {"tcd/refresh": "incremental"}


def current_plan(raw_inputs: RawInputs, warehouse: Warehouse, published: PublishedMarts) -> Plan | str:
    """The plan, or the reason it cannot be made now."""
    try:
        inv = raw_inputs.inventory()
    except (FileNotFoundError, ValueError) as exc:  # no folder, a damaged or unreadable file, a bad setting
        return str(exc)
    path = warehouse.resolved_path()
    try:
        con = duckdb.connect(str(path), read_only=True) if path.exists() else duckdb.connect()
    except duckdb.IOException:
        return "a run is writing the warehouse; checking again at the next evaluation"
    try:
        return make_plan(inv, con, published=published.resolved_path())
    finally:
        con.close()


def _describe(plan: Plan) -> str:
    parts = (["code lists/WDI"] if plan.run_reference else []) + [str(y) for y in plan.run_years]
    parts += [f"removed {r.partition or r.asset}" for r in plan.removed]
    return "changed: " + (", ".join(parts) if parts else plan.republish_reason or "marts to rebuild")


def _run_key(plan: Plan) -> str:
    """The same changed inputs give the same key, so Dagster launches them once."""
    state = f"{plan.reference}|{sorted(plan.years.items())}|{plan.run_marts}|{plan.removed}|{plan.republish_reason}"
    return hashlib.sha1(state.encode()).hexdigest()[:16]


class RefreshConfig(dg.Config):
    """``prune``: remove from the warehouse the BACI years and sources whose files left the input folder
    (otherwise the refresh stops and names them)."""

    prune: bool = False


@dg.op(description="Run every layer job whose inputs changed, in order, as make run does.")
def refresh_op(context: dg.OpExecutionContext, config: RefreshConfig) -> dg.Output:
    from tcd_pipeline.definitions import defs  # the code location's own definitions and resources
    from tcd_pipeline.refresh import refresh

    report = refresh(defs, context.instance, prune=config.prune, log=context.log.info)
    if not report.success:
        raise dg.Failure("refresh failed: " + " | ".join(report.problems)[:3000])
    return dg.Output(None, metadata={"runs": len(report.runs), "seconds": round(report.seconds, 2)})


@dg.job(description="Incremental refresh of the whole pipeline (what make run does), launched by the "
                    "raw-file sensor and the nightly schedule.", tags=REFRESH_TAGS)
def refresh_job():
    refresh_op()


@dg.sensor(job=refresh_job, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Notices new or replaced raw files (a new BACI year or version, new code lists or WDI) "
                       "and launches the incremental refresh.")
def raw_files_sensor(context: dg.SensorEvaluationContext, raw_inputs: RawInputs, warehouse: Warehouse,
                     published_marts: PublishedMarts):
    started = time.perf_counter()
    plan = current_plan(raw_inputs, warehouse, published_marts)
    if isinstance(plan, str):
        return dg.SkipReason(plan)
    if plan.nothing_to_do:
        return dg.SkipReason(f"nothing changed ({time.perf_counter() - started:.2f} s)")
    return dg.RunRequest(run_key=_run_key(plan), tags={"tcd/reason": _describe(plan)})


@dg.schedule(job=refresh_job, cron_schedule="0 2 * * *", default_status=dg.DefaultScheduleStatus.RUNNING,
             description="Nightly at 02:00: refresh everything whose inputs changed; no run when nothing did.")
def nightly_refresh(context: dg.ScheduleEvaluationContext, raw_inputs: RawInputs, warehouse: Warehouse,
                    published_marts: PublishedMarts):
    plan = current_plan(raw_inputs, warehouse, published_marts)
    if isinstance(plan, str):
        return dg.SkipReason(plan)
    if plan.nothing_to_do:
        return dg.SkipReason("nothing changed since the last refresh")
    return dg.RunRequest(run_key=f"nightly-{_run_key(plan)}", tags={"tcd/reason": _describe(plan)})
