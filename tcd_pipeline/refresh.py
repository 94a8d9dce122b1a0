"""Incremental refresh (``make run``): run what the plan says, each job as its own Dagster run.

Order: the reference job (code lists, WDI), then each changed BACI year, then the marts and
their publication, but only when every year passed its gates: marts are never built from a
partly refreshed clean layer. See :mod:`tcd_pipeline.plan` for what "changed" means.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import dagster as dg

from tcd_pipeline.plan import Plan, make_plan
from tcd_pipeline.publish import remove_stale_staging
from tcd_pipeline.resources import PublishedMarts, RawInputs, Warehouse

REFERENCE_JOB = "ingest_reference_job"
FLOWS_JOB = "ingest_flows_job"
MART_JOBS = ("trade_outcomes_job", "survival_job", "tiva_job")  # one job per chapter's marts
PUBLISH_JOB = "publish_job"


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
    plan: Plan
    runs: list[RunOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def success(self) -> bool:
        return all(r.success for r in self.runs)

    @property
    def problems(self) -> list[str]:
        return [p for r in self.runs for p in r.problems]

    @property
    def materialized(self) -> list[str]:
        return [k for r in self.runs for k in r.materialized]


def _problems(result: dg.ExecuteInProcessResult) -> list[str]:
    problems = []
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            if error and error.cls_name == "DagsterAssetCheckFailedError":
                continue  # the failed check's own evaluation below says what is wrong
            # Dagster wraps what the asset raised; report that (a Failure names the file itself)
            while error is not None and error.cls_name == "DagsterExecutionStepExecutionError" and error.cause:
                error = error.cause
            problems.append(f"{event.step_key}: {error.message.strip() if error else 'failed'}")
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
    instance: dg.DagsterInstance,
    *,
    force: bool = False,
    log: Callable[[str], None] = print,
    log_level: str = "WARNING",
) -> RefreshReport:
    """Run the reference job, every changed BACI year, then the marts, each as its own Dagster run."""
    started = time.perf_counter()
    raw_inputs: RawInputs = defs.resources["raw_inputs"]
    warehouse: Warehouse = defs.resources["warehouse"]
    published: PublishedMarts = defs.resources["published_marts"]
    inv = raw_inputs.inventory()
    for note in inv.notes:
        log(f"note: {note}")
    with warehouse.connect() as con:  # holds the single-writer lock: no other refresh is publishing
        for stale in remove_stale_staging(published.resolved_path()):
            log(f"removed {stale.name}, left by an interrupted publication")
        plan = make_plan(inv, con, force=force, published_exists=published.resolved_path().exists())
    report = RefreshReport(plan=plan)
    if plan.nothing_to_do:
        log(f"nothing changed under {inv.root}: no run needed")
        report.seconds = time.perf_counter() - started
        return report
    if inv.baci_years:
        instance.add_dynamic_partitions("baci_year", [str(y) for y in inv.baci_years])

    def execute(job_name: str, partition: str | None = None) -> bool:
        t0 = time.perf_counter()
        result = defs.resolve_job_def(job_name).execute_in_process(
            instance=instance, partition_key=partition, raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        )
        problems = _problems(result)
        ok = result.success and not problems
        built = _built(result)
        report.runs.append(RunOutcome(job_name, partition or "", ok, time.perf_counter() - t0, problems,
                                      [k for k, _ in built]))
        label = f"{job_name}{'[' + partition + ']' if partition else ''}"
        summary = ", ".join(k.split("[")[0] + (f" {n:,} rows" if n is not None else "") for k, n in built)
        log(f"{label}: {'ok' if ok else 'FAILED'} in {report.runs[-1].seconds:.1f} s" + (f" ({summary})" if summary else ""))
        for problem in problems:
            log(f"  {problem}")
        return ok

    if plan.run_reference and not execute(REFERENCE_JOB):
        report.seconds = time.perf_counter() - started
        return report
    years_ok = [execute(FLOWS_JOB, str(year)) for year in plan.run_years]
    if not all(years_ok):
        log("marts not rebuilt: a year failed its gates; the published marts are unchanged")
    elif plan.run_marts or plan.run_reference or plan.run_years:
        # marts read every year: rebuilt (and published) only from a complete, gated clean layer
        marts_ok = [execute(job) for job in MART_JOBS if defs.resolve_job_def(job).nodes]  # skip empty chapters
        if all(marts_ok):
            execute(PUBLISH_JOB)
        else:
            log("not published: a mart failed its gate; the published marts are unchanged")
    report.seconds = time.perf_counter() - started
    return report
