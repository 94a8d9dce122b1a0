"""Incremental refresh: run only what changed since the last successful run, and report it.

The plan compares the fingerprints (name, size, modification time) of the raw files with those
recorded in ``meta.loaded_partitions`` after the last fully successful run (all gates passed):
- the reference job (code lists, WDI) runs when any of its files changed;
- a BACI year runs when its file, or the code lists it is cleaned with, changed.
A run that fails a gate records nothing, so the next refresh tries it again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import dagster as dg
import duckdb

from tcd_pipeline import manifest
from tcd_pipeline.publish import remove_stale_staging
from tcd_pipeline.resources import PublishedMarts, RawInputs, Warehouse
from tcd_pipeline.sources import Inventory

REFERENCE_JOB = "reference_job"
FLOWS_JOB = "flows_job"
MARTS_JOB = "marts_job"


@dataclass
class Plan:
    reference_fingerprint: str
    year_fingerprints: dict[int, str]
    run_reference: bool
    years: list[int]
    run_marts: bool

    @property
    def marts_fingerprint(self) -> str:
        """Marts depend on every input: the reference files and every year."""
        years = ";".join(f"{y}={fp}" for y, fp in sorted(self.year_fingerprints.items()))
        return f"{self.reference_fingerprint}|{years}"


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


def _reference_fingerprint(inv: Inventory) -> str:
    files = [inv.country_codes, inv.product_codes, *inv.wdi_wide, *inv.wdi_long]
    return ";".join(f.fingerprint() for f in files if f is not None)


def make_plan(
    inv: Inventory, con: duckdb.DuckDBPyConnection, *, force: bool = False, published_exists: bool = True
) -> Plan:
    reference_fp = _reference_fingerprint(inv)
    codes_fp = ";".join(f.fingerprint() for f in (inv.country_codes, inv.product_codes) if f is not None)
    year_fps = {year: f"{src.fingerprint()}|{codes_fp}" for year, src in inv.baci_years.items()}
    done_reference = manifest.fingerprints(con, f"job/{REFERENCE_JOB}").get("")
    done_years = manifest.fingerprints(con, f"job/{FLOWS_JOB}")
    plan = Plan(
        reference_fingerprint=reference_fp,
        year_fingerprints=year_fps,
        run_reference=force or done_reference != reference_fp,
        years=[y for y, fp in year_fps.items() if force or done_years.get(str(y)) != fp],
        run_marts=False,
    )
    done_marts = manifest.fingerprints(con, f"job/{MARTS_JOB}").get("")
    plan.run_marts = force or not published_exists or done_marts != plan.marts_fingerprint
    return plan


def _problems(result: dg.ExecuteInProcessResult) -> list[str]:
    problems = []
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            if error and error.cls_name == "DagsterAssetCheckFailedError":
                continue  # the failed check's own evaluation below says what is wrong
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
    """Run the reference job and every changed BACI year, each as its own Dagster run."""
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
    if not plan.run_reference and not plan.years and not plan.run_marts:
        log(f"nothing changed under {inv.root}: no run needed")
        report.seconds = time.perf_counter() - started
        return report
    if inv.baci_years:
        instance.add_dynamic_partitions("baci_year", [str(y) for y in inv.baci_years])

    def execute(job_name: str, partition: str | None, record_fp: str) -> bool:
        t0 = time.perf_counter()
        job = defs.resolve_job_def(job_name)
        result = job.execute_in_process(
            instance=instance, partition_key=partition, raise_on_error=False,
            run_config={"loggers": {"console": {"config": {"log_level": log_level}}}},
        )
        problems = _problems(result)
        ok = result.success and not problems
        built = _built(result)
        outcome = RunOutcome(job_name, partition or "", ok, time.perf_counter() - t0, problems, [k for k, _ in built])
        report.runs.append(outcome)
        label = f"{job_name}{'[' + partition + ']' if partition else ''}"
        built = ", ".join(k.split("[")[0] + (f" {n:,} rows" if n is not None else "") for k, n in built)
        log(f"{label}: {'ok' if ok else 'FAILED'} in {outcome.seconds:.1f} s" + (f" ({built})" if built else ""))
        for problem in problems:
            log(f"  {problem}")
        if ok:
            with warehouse.connect() as con:
                manifest.record(con, f"job/{job_name}", partition or "", str(inv.root), record_fp, 0)
        return ok

    if plan.run_reference:
        if not execute(REFERENCE_JOB, None, plan.reference_fingerprint):
            report.seconds = time.perf_counter() - started
            return report
    years_ok = [execute(FLOWS_JOB, str(year), plan.year_fingerprints[year]) for year in plan.years]
    if plan.run_marts and all(years_ok):
        # marts read every year: they are rebuilt (and published) only from a complete, gated clean layer
        execute(MARTS_JOB, None, plan.marts_fingerprint)
    elif not all(years_ok):
        log("marts not rebuilt: a year failed its gates; the published marts are unchanged")
    report.seconds = time.perf_counter() - started
    return report
