"""Incremental refresh (``make run``): run the stages of a refresh in process, each job as its own Dagster run.

The stages and their order come from the planner the sensors use
(:mod:`tcd_pipeline.defs.automation.stages`): ingest (the reference job, then each changed BACI
year), marts, publication; a stage runs only when the one before left nothing to do, so marts
are never built from a partly refreshed clean layer; then the focus country's report is rendered from the
published file when it does not show the published version yet (or is missing). See :mod:`tcd_pipeline.warehouse.plan` for
what "changed" means. Each run is recorded in the warehouse's Dagster instance like the runs the
sensors launch, tagged ``tcd/launched_by = make run`` with its stage and reason.

One refresh at a time per warehouse: a second one waits for the first (``<warehouse>.refresh.lock``
holds the process id), then plans from what the first left; it also waits for runs the sensors
launched to finish, and the sensors wait while ``make run`` holds the lock. Inputs that cannot be read, inputs
removed from the folder (unless ``prune``), or no BACI file at all stop the refresh before any
run, with the published file unchanged; every file of the folder is either read or listed as
ignored with its reason.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable

import dagster as dg

from tcd_pipeline.defs.automation.stages import (
    MART_JOBS,
    REFERENCE_JOB,
    REPORT_JOB,
    RunSpec,
    Stage,
    ingest_stage,
    marts_stage,
    next_stage,
    publish_stage,
    report_stage,
)
from tcd_pipeline.defs.ingest.files import observations
from tcd_pipeline.defs.publication.assets import unverified_marts
from tcd_pipeline.defs.publication.bi_file import remove_stale_staging
from tcd_pipeline.defs.report.freshness import report_reason
from tcd_pipeline.lib.code_versions import BUILD_TAG, build_digest
from tcd_pipeline.lib.resources import (
    DiagnosticSettings,
    PublishedMarts,
    RawInputs,
    Warehouse,
    WarehouseLocked,
    refresh_lock,
)
from tcd_pipeline.report.render import report_paths
from tcd_pipeline.sources import InputFileError
from tcd_pipeline.warehouse.plan import Plan, make_plan, published_version
from tcd_pipeline.warehouse.plan import prune as prune_removed

LAUNCHED_BY = "make run"
IN_FLIGHT = [dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING,
             dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]


@dataclass
class RunOutcome:
    job: str
    partition: str
    success: bool
    seconds: float
    problems: list[str] = field(default_factory=list)
    materialized: list[str] = field(default_factory=list)  # asset keys, "clean/flows[2002]" for partitions


@dataclass
class RefreshReport:
    plan: Plan | None
    runs: list[RunOutcome] = field(default_factory=list)
    seconds: float = 0.0
    stopped: list[str] = field(default_factory=list)  # why the refresh stopped before or between runs
    published_version: str | None = None  # the version this refresh published, if it did
    report_run: RunOutcome | None = None  # the report rendered after (or without) the layer runs, if it was
    report_path: str | None = None  # the report's HTML file, when it was rendered

    @property
    def success(self) -> bool:
        return not self.stopped and all(r.success for r in self.runs)

    @property
    def published(self) -> bool:
        return self.published_version is not None

    @property
    def report_ok(self) -> bool:
        """False when the report was rendered and failed (the published file is unaffected)."""
        return self.report_run is None or self.report_run.success

    @property
    def problems(self) -> list[str]:
        return self.stopped + [p for r in self.runs for p in r.problems] + (
            self.report_run.problems if self.report_run else [])

    @property
    def materialized(self) -> list[str]:
        return [k for r in self.runs for k in r.materialized]


MEMORY_HINT = (" (DuckDB reached its memory limit: raise TCD_DUCKDB_MEMORY_LIMIT, Dagster config "
               "warehouse.memory_limit, now {limit}; the machine's RAM is the ceiling)")


def _problems(result: dg.ExecuteInProcessResult, memory_limit: str = "") -> list[str]:
    problems = []
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.STEP_FAILURE:
            failure = event.step_failure_data
            error = failure.error
            if error and error.cls_name == "DagsterAssetCheckFailedError":
                continue  # the failed check's own evaluation below says what is wrong
            user = failure.user_failure_data
            if user is not None and "gate_failed" in (user.metadata or {}):
                continue  # rolled back because a gate failed: the check evaluation says why
            # Dagster wraps what the asset raised; report that (a Failure names the file itself)
            while error is not None and error.cls_name == "DagsterExecutionStepExecutionError" and error.cause:
                error = error.cause
            message = error.message.strip() if error else "failed"
            if error is not None and "OutOfMemory" in (error.cls_name or "") + message:
                message += MEMORY_HINT.format(limit=memory_limit or "6GB")
            problems.append(f"{event.step_key}: {message}")
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if not evaluation.passed:
                problems.append(f"{evaluation.check_name} failed: {evaluation.description or ''}")
    return problems


def _built(result: dg.ExecuteInProcessResult) -> list[tuple[str, int | None]]:
    """(asset key, rows) for each asset the run materialized."""
    out = []
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        rows = materialization.metadata.get("dagster/row_count")
        key = materialization.asset_key.to_user_string()
        if materialization.partition:
            key += f"[{materialization.partition}]"
        out.append((key, rows.value if rows is not None else None))
    return out


def refresh(
    defs: dg.Definitions,
    instance: dg.DagsterInstance | Callable[[], dg.DagsterInstance],
    *,
    force: bool = False,
    prune: bool = False,
    log: Callable[[str], None] = print,
    log_level: str = "CRITICAL",
) -> RefreshReport:
    """Run the reference job, every changed BACI year, then the marts, each as its own Dagster run.

    ``instance`` may be a function that opens it: a refresh with nothing to do never opens the
    Dagster instance (about half a second for a persistent one), so ``make run`` stays near the cost
    of starting Python when nothing changed.
    """
    started = time.perf_counter()
    warehouse: Warehouse = defs.resources["warehouse"]
    opened: list[dg.DagsterInstance] = []

    def get_instance() -> dg.DagsterInstance:
        if not opened:
            opened.append(instance() if callable(instance) else instance)
        return opened[0]

    with refresh_lock(warehouse.resolved_path(), log=log, wait_seconds=warehouse.lock_wait()):
        report = _refresh(defs, get_instance, force=force, prune=prune, log=log, log_level=log_level)
    report.seconds = time.perf_counter() - started
    return report


def _stop(report: RefreshReport, log: Callable[[str], None], *reasons: str) -> RefreshReport:
    for reason in reasons:
        log(f"stopped: {reason}")
    report.stopped.extend(reasons)
    return report


def _refresh(defs, get_instance, *, force: bool, prune: bool, log, log_level: str) -> RefreshReport:
    raw_inputs: RawInputs = defs.resources["raw_inputs"]
    warehouse: Warehouse = defs.resources["warehouse"]
    published: PublishedMarts = defs.resources["published_marts"]
    try:
        inv = raw_inputs.inventory()
    except (InputFileError, FileNotFoundError, ValueError) as exc:  # damaged container, unreadable file, bad setting
        return _stop(RefreshReport(plan=None), log, f"inputs: {exc}; nothing was run, the published file is unchanged")
    for note in inv.notes:
        if not note.startswith("ignored "):  # those are in inv.ignored, printed below with their reason
            log(f"note: {note}")
    for name, reason in inv.ignored:
        log(f"ignored {name}: {reason}")
    # the code and settings the marts are built with: a change rebuilds them as a changed input would
    build = build_digest(defs.resolve_asset_graph(), defs.resources["settings"].resolved())
    with warehouse.connect() as con:  # holds the single-writer lock: no other refresh is publishing
        for stale in remove_stale_staging(published.resolved_path()):
            log(f"removed {stale.name}, left by an interrupted publication")
        plan = make_plan(inv, con, force=force, published=published.resolved_path(), build=build)
    if not plan.nothing_to_do:  # runs will be recorded: wait for the sensors' runs, then plan again
        instance = get_instance()
        if wait_for_runs(instance, log, warehouse.lock_wait()):
            with warehouse.connect() as con:
                plan = make_plan(inv, con, force=force, published=published.resolved_path(), build=build)
    report = RefreshReport(plan=plan)
    pruned_years: list[str] = []
    if plan.removed and not prune:
        return _stop(report, log, *(r.describe(inv.root) for r in plan.removed))
    if plan.removed:
        with warehouse.connect() as con:
            for done in prune_removed(con, plan.removed):
                log(f"pruned: {done}")
            pruned_years = [r.partition for r in plan.removed if r.partition]
            plan = make_plan(inv, con, force=force, published=published.resolved_path(), build=build)
            report.plan = plan
    for year in pruned_years:  # pruned above; forget the years' partitions too, so the UI no longer lists them
        instance = get_instance()
        if instance.has_dynamic_partition("baci_year", year):
            instance.delete_dynamic_partition("baci_year", year)
    if not inv.baci_years:
        return _stop(report, log, f"no BACI flow file (BACI_HS{inv.hs}_Y<year>_V<release>.csv[.gz], or inside a "
                                  f".zip) under {inv.root}: nothing to build the marts from; the published file is "
                                  "unchanged")
    if plan.nothing_to_do:
        with warehouse.connect(read_only=True) as con:
            reason = _report_reason(defs, con, plan)
        if not reason:
            log(f"nothing changed under {inv.root}: no run needed")
            return report
        log(f"nothing changed under {inv.root}; rendering the report: {reason}")
    if plan.republish_reason and not (plan.run_reference or plan.run_years):
        log(f"republishing: {plan.republish_reason}")
    instance = get_instance()
    instance.add_dynamic_partitions("baci_year", [str(y) for y in inv.baci_years])
    for observation in observations(plan.reference, plan.years):  # the files' data versions, as the UI shows them (files/*)
        instance.report_runless_asset_event(observation)
    chapters = tuple(job for job in MART_JOBS if defs.resolve_job_def(job).nodes)  # skip empty chapters

    def execute(spec: RunSpec, stage: Stage) -> bool:
        t0 = time.perf_counter()
        result = defs.resolve_job_def(spec.job).execute_in_process(
            instance=instance, partition_key=spec.partition or None, raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
            tags={"tcd/launched_by": LAUNCHED_BY, "tcd/stage": stage.name, "tcd/reason": stage.reason[:200],
                  BUILD_TAG: build},
        )
        problems = _problems(result, warehouse.memory_limit_setting())
        ok = result.success and not problems
        built = _built(result)
        report.runs.append(RunOutcome(spec.job, spec.partition, ok, time.perf_counter() - t0, problems,
                                      [k for k, _ in built]))
        summary = ", ".join(k.split("[")[0] + (f" {n:,} rows" if n is not None else "") for k, n in built)
        log(f"{spec.label}: {'ok' if ok else 'FAILED'} in {report.runs[-1].seconds:.1f} s" + (f" ({summary})" if summary else ""))
        for warning in _warnings(instance, result.run_id):
            log(f"  warning: {warning}")
        for problem in problems:
            log(f"  {problem}")
        return ok

    with warehouse.connect() as con:
        stage = ingest_stage(plan) if force else next_stage(plan, unverified_marts(con, build), chapters,
                                                            _report_reason(defs, con, plan))
    done: list[str] = []
    while stage.runs:
        if stage.name in done:  # a stage that succeeded and left its own work pending would loop
            return _stop(report, log, f"the {stage.name} stage succeeded but left work pending ({stage.reason})")
        runs = stage.runs
        if runs and runs[0].job == REFERENCE_JOB and not execute(runs[0], stage):
            log("stopped after the reference job: nothing else was run; the published file is unchanged")
            return report
        outcomes = [execute(spec, stage) for spec in runs if spec.job != REFERENCE_JOB]
        if not all(outcomes):
            log(FAILED_STAGE[stage.name])
            if stage.name == "report":
                report.report_run = report.runs.pop()
            return report
        done.append(stage.name)
        if stage.name == "report":
            report.report_run = report.runs.pop()
            settings = defs.resources["settings"].resolved()
            report.report_path = str(report_paths(published.reports_dir(), settings.focus)[0])
            return report
        if stage.name == "publish":
            with warehouse.connect() as con:
                report.published_version = published_version(con)
        with warehouse.connect() as con:
            plan = make_plan(inv, con, published=published.resolved_path(), build=build)
            if force:  # every stage once, changed or not
                stage = {"ingest": marts_stage("--force", chapters), "marts": publish_stage("--force"),
                         "publish": report_stage("--force")}[stage.name]
            else:
                stage = next_stage(plan, unverified_marts(con, build), chapters, _report_reason(defs, con, plan))
        if not stage.runs and done == ["ingest"]:
            # marts are rebuilt (and published) only when the verified inputs now differ from those of the
            # published marts: an input restored to what was published rebuilds nothing
            log("marts unchanged: the verified inputs are those the published marts were built from")
    return report


FAILED_STAGE = {
    "ingest": "marts not rebuilt: a year failed its gates; the published marts are unchanged",
    "marts": "not published: a mart failed its gate; the published marts are unchanged",
    "publish": "not published: the publication failed; the published marts are unchanged",
    "report": "the report was not rendered; the published file is unaffected",
}


def _report_reason(defs: dg.Definitions, con, plan: Plan) -> str:
    """Why the focus country's report must be rendered now ("" when not, or without a report job)."""
    settings = defs.resources.get("settings")
    if not isinstance(settings, DiagnosticSettings) or not defs.resolve_job_def(REPORT_JOB).nodes:
        return ""
    return report_reason(con, plan, defs.resources["published_marts"], settings)


def runs_in_flight(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    """Runs of this instance that are queued, starting or running."""
    return [r.dagster_run for r in instance.get_run_records(filters=dg.RunsFilter(statuses=IN_FLIGHT))]


def wait_for_runs(instance: dg.DagsterInstance, log: Callable[[str], None], wait_seconds: float) -> bool:
    """Before a refresh: close the runs an interrupted ``make run`` left open, then wait while runs the
    sensors launched are queued or running on this warehouse, saying so every 10 s.

    Called under the refresh lock: a run ``make run`` executed that is still "started" now belongs to
    a process that died (killed, or the machine stopped); its writes were rolled back with it, and it
    is marked failed so that neither this refresh nor the sensors wait for it. True when it waited.
    """
    for run in runs_in_flight(instance):
        if run.tags.get("tcd/launched_by") == LAUNCHED_BY:
            instance.report_run_failed(run, message="interrupted: the make run that executed it stopped before it "
                                                    "finished; its uncommitted writes were rolled back")
            log(f"run {run.run_id[:8]} ({run.job_name}) of an interrupted make run marked failed")
    started = time.monotonic()
    announced = -10.0
    while True:
        pending = runs_in_flight(instance)
        if not pending:
            return announced >= 0
        run = pending[0]
        waited = time.monotonic() - started
        what = (f"run {run.run_id[:8]} ({run.job_name}, {run.status.value.lower()}, launched by "
                f"{run.tags.get('tcd/launched_by', run.tags.get('dagster/sensor_name', 'the UI'))})")
        if waited > wait_seconds:
            raise WarehouseLocked(f"{what} is still in progress after {wait_seconds:.0f} s; wait for it to finish "
                                  f"(the Dagster UI shows it: make dev) or terminate it there, then run again")
        if waited - announced >= 10:
            log(f"waiting for {what} to finish ({waited:.0f} s)")
            announced = waited
        time.sleep(0.5)


def _warnings(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    """What the run's assets logged as warnings (one line each, no stack traces)."""
    return [entry.user_message for entry in instance.all_logs(run_id)
            if not entry.is_dagster_event and entry.level == logging.WARNING]
