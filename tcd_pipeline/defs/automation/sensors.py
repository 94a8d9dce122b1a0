"""Automation: two sensors launch ordinary runs of the layer jobs, stage by stage.

``raw_files_sensor`` (running by default, every 30 s) reacts to changed inputs at once;
``nightly_refresh`` (stopped by default) is for sites that refresh only at night. A Dagster
schedule cannot serve here: it launches one job, and a refresh is runs of several jobs in
stages. Both read the warehouse's manifest (read-only; a tick while a run writes is skipped), make the
plan (:func:`tcd_pipeline.warehouse.plan.make_plan`) and ask the stage planner what to run next
(:func:`tcd_pipeline.defs.automation.stages.next_stage`, the planner ``make run`` uses too). They
submit that stage's runs to the instance's queue, tagged with what launched them
(``tcd/launched_by``), the stage and the reason; the UI links each run to the sensor tick that
requested it. While any run is queued or in progress, or ``make run`` is
refreshing the warehouse, the sensor waits; once the stage's runs have finished it submits the
next stage. A stage whose runs failed is not launched again for the same inputs (the same inputs
give the same run key): fix or restore the file and the next tick starts over.

Inputs that left the folder stop the automation (a tick says which): restore them, or remove
them from the warehouse with ``make run --prune`` or ``prune_job``.
"""


import time
from datetime import datetime

import dagster as dg
import duckdb

from tcd_pipeline import config
from tcd_pipeline.defs.automation import jobs
from tcd_pipeline.defs.automation.stages import Stage, next_stage
from tcd_pipeline.defs.ingest.files import observations
from tcd_pipeline.defs.publication.assets import unverified_marts
from tcd_pipeline.defs.report.freshness import report_reason
from tcd_pipeline.lib.code_versions import BUILD_TAG, build_digest
from tcd_pipeline.lib.partitions import baci_years
from tcd_pipeline.lib.resources import (
    DiagnosticSettings,
    PublishedMarts,
    RawInputs,
    Warehouse,
    lock_holder,
    refresh_lock_holder,
)
from tcd_pipeline.refresh import LAUNCHED_BY, runs_in_flight
from tcd_pipeline.sources import Inventory
from tcd_pipeline.warehouse.plan import Plan, make_plan
from tcd_pipeline.warehouse.plan import prune as prune_removed

LAYER_JOBS = [jobs.reference_job, jobs.flows_job, jobs.trade_outcomes_job, jobs.survival_job, jobs.tiva_job,
              jobs.tariffs_job, jobs.publish_job, jobs.report_job]


def in_flight(instance: dg.DagsterInstance) -> str:
    """The first queued or running run of this instance, in words, or "" (runs of an interrupted
    ``make run``, which the next ``make run`` closes, do not count: the refresh lock says if one is alive)."""
    for run in runs_in_flight(instance):
        if run.tags.get("tcd/launched_by") != LAUNCHED_BY:
            return f"run {run.run_id[:8]} ({run.job_name}, {run.status.value.lower()})"
    return ""


def current_stage(raw_inputs: RawInputs, warehouse: Warehouse, published: PublishedMarts,
                  chapter_jobs: tuple[str, ...], settings: DiagnosticSettings | None = None, build: str = "",
                  ) -> tuple[Stage, Plan, Inventory] | str:
    """The next stage, the plan and the input folder's inventory, or the reason no stage can be launched now
    (``build``: the code and settings of the marts, :func:`tcd_pipeline.lib.code_versions.build_digest`)."""
    try:
        inv = raw_inputs.inventory()
    except (FileNotFoundError, ValueError) as exc:  # no folder, a damaged or unreadable file, a bad setting
        return str(exc)
    if not inv.baci_years:
        return f"no BACI flow file under {inv.root}: nothing to build the marts from"
    path = warehouse.resolved_path()
    try:
        con = duckdb.connect(str(path), read_only=True) if path.exists() else duckdb.connect()
    except duckdb.IOException as exc:
        holder = lock_holder(str(exc))
        return (f"a run is writing the warehouse{f' ({holder})' if holder else ''}; "
                "checking again at the next evaluation")
    try:
        plan = make_plan(inv, con, published=published.resolved_path(), build=build)
        if plan.removed:
            return ("stopped, inputs left the folder: " + "; ".join(r.describe(inv.root) for r in plan.removed)
                    + " (launch prune_job to remove them)")
        rendering = report_reason(con, plan, published, settings) if settings is not None and path.exists() else ""
        stage = next_stage(plan, unverified_marts(con, build) if path.exists() else ["all"], chapter_jobs, rendering)
    finally:
        con.close()
    return stage, plan, inv


def _requests(context, launched_by: str, raw_inputs, warehouse, published_marts, settings=None, key_prefix: str = ""):
    started = time.perf_counter()
    if mismatch := config.check_instance(context.instance.root_directory, warehouse.resolved_path()):
        return dg.SkipReason(mismatch)
    if holder := refresh_lock_holder(warehouse.resolved_path()):
        return dg.SkipReason(f"make run is refreshing this warehouse ({holder})")
    if busy := in_flight(context.instance):
        return dg.SkipReason(f"waiting: {busy} has not finished")
    chapter_jobs = tuple(j.name for j in (jobs.trade_outcomes_job, jobs.survival_job, jobs.tiva_job,
                                          jobs.tariffs_job)
                         if context.repository_def is None or context.repository_def.get_job(j.name).nodes)
    repository = context.repository_def
    build = build_digest(repository.asset_graph, settings.resolved()) if repository is not None and settings else ""
    found = current_stage(raw_inputs, warehouse, published_marts, chapter_jobs, settings, build)
    if isinstance(found, str):
        return dg.SkipReason(found)
    stage, plan, inv = found
    if not stage.runs:
        return dg.SkipReason(f"{stage.reason} ({time.perf_counter() - started:.2f} s)")
    tags = {"tcd/launched_by": launched_by, "tcd/stage": stage.name, "tcd/reason": stage.reason[:200], BUILD_TAG: build}
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=f"{key_prefix}{stage.key}-{run.label}", job_name=run.job,
                                    partition_key=run.partition or None, tags=tags) for run in stage.runs],
        dynamic_partitions_requests=[baci_years.build_add_request([str(y) for y in sorted(inv.baci_years)])],
        asset_events=observations(plan.reference, plan.years),  # the files' data versions: the UI shows what they make stale
    )


@dg.sensor(jobs=LAYER_JOBS, minimum_interval_seconds=30, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Notices new, replaced or removed raw files (a new BACI year or release, new code lists or "
                       "WDI) and launches the refresh stage by stage: ingest, marts, publication, report.")
def raw_files_sensor(context: dg.SensorEvaluationContext, raw_inputs: RawInputs, warehouse: Warehouse,
                     published_marts: PublishedMarts, settings: DiagnosticSettings):
    return _requests(context, "raw_files_sensor", raw_inputs, warehouse, published_marts, settings)


NIGHT = range(2, 6)  # 02:00-05:59 local time


@dg.sensor(jobs=LAYER_JOBS, minimum_interval_seconds=300, default_status=dg.DefaultSensorStatus.STOPPED,
           description="For sites that refresh only at night (turn raw_files_sensor off, this one on): between "
                       "02:00 and 06:00 it launches the stages of a refresh one after the other; idle otherwise.")
def nightly_refresh(context: dg.SensorEvaluationContext, raw_inputs: RawInputs, warehouse: Warehouse,
                    published_marts: PublishedMarts, settings: DiagnosticSettings):
    now = datetime.now()
    if now.hour not in NIGHT:
        return dg.SkipReason(f"outside the night window 02:00-06:00 (now {now:%H:%M})")
    return _requests(context, "nightly_refresh", raw_inputs, warehouse, published_marts, settings)


@dg.op(description="Remove from the warehouse the BACI years and sources whose files left the input folder "
                   "(what make run --prune does); the next refresh rebuilds the marts without them.")
def prune_removed_inputs(context: dg.OpExecutionContext, raw_inputs: RawInputs, warehouse: Warehouse) -> None:
    inv = raw_inputs.inventory()
    with warehouse.connect() as con:
        plan = make_plan(inv, con)
        if not plan.removed:
            context.log.info("no input left the folder: nothing to prune")
            return
        for done in prune_removed(con, plan.removed):
            context.log.info(f"pruned: {done}")
    for item in plan.removed:
        if item.partition and context.instance.has_dynamic_partition("baci_year", item.partition):
            context.instance.delete_dynamic_partition("baci_year", item.partition)


@dg.job(description="Maintenance: remove inputs that left the input folder from the warehouse (make run --prune).")
def prune_job():
    prune_removed_inputs()
